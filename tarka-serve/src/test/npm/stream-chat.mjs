// Streaming chat against a running `tarka serve` with the official openai npm package.
// Usage: TARKA_URL=http://127.0.0.1:8000/v1 node stream-chat.mjs
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.env.TARKA_URL ?? 'http://127.0.0.1:8000/v1', apiKey: process.env.TARKA_KEY ?? 'unused' });
const models = await client.models.list();
const model = models.data[0].id;
const stream = await client.chat.completions.create({
  model, stream: true, stream_options: { include_usage: true }, max_tokens: 24, temperature: 0,
  messages: [{ role: 'user', content: 'Once upon a time' }],
});
let text = '', chunks = 0, usage = null, finish = null;
for await (const chunk of stream) {
  chunks++;
  if (chunk.usage) usage = chunk.usage;
  for (const c of chunk.choices) {
    if (c.delta?.content) text += c.delta.content;
    if (c.finish_reason) finish = c.finish_reason;
  }
}
const plain = await client.chat.completions.create({
  model, max_tokens: 24, temperature: 0, messages: [{ role: 'user', content: 'Once upon a time' }],
});
const ok = text.length > 0 && finish === 'length' && usage?.completion_tokens === 24 && text === plain.choices[0].message.content;
console.log(JSON.stringify({ model, chunks, finish, usage, text, ok }));
let failedAsExpected = false;
try {
  await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] });
} catch (e) {
  failedAsExpected = e.status === 404;
}
console.log(JSON.stringify({ unknownModelIs404: failedAsExpected }));
process.exit(ok && failedAsExpected ? 0 : 1);
