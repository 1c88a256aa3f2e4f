// The Tarka dashboard: runs table, run page, compare view and study view over the MLflow REST API.
"use strict";
(() => {
  const { fmt, escapeHtml: esc } = TarkaCharts;
  const view = document.getElementById("view");
  const expSelect = document.getElementById("experiment");
  const state = { experiments: [], columns: null, orderBy: "attributes.start_time DESC", filter: "", selected: new Set(),
                  chart: { xAxis: "step", smoothing: 0, log: false } };
  window.tarkaTimings = {};

  async function api(path, body) {
    const res = await fetch("/api/2.0/mlflow/" + path, body === undefined ? {} :
      { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const json = await res.json();
    if (!res.ok) throw new Error((json.error_code || res.status) + ": " + json.message);
    return json;
  }

  async function tarka(path, params) {
    const res = await fetch("/tarka/api/" + path + "?" + new URLSearchParams(params));
    const json = await res.json();
    if (!res.ok) throw new Error((json.error_code || res.status) + ": " + json.message);
    return json;
  }

  function ready(name) {
    document.body.dataset.ready = name;
    window.tarkaTimings[name] = performance.now();
  }

  function route() {
    const hash = location.hash || "#/runs";
    document.body.dataset.ready = "";
    const [path, query] = hash.slice(1).split("?");
    const parts = path.split("/").filter(Boolean);
    const params = new URLSearchParams(query || "");
    const show = p => p.catch(e => { view.innerHTML = `<p class="error">${esc(e.message)}</p>`; ready("error"); });
    if (parts[0] === "run") show(runPage(parts[1]));
    else if (parts[0] === "compare") show(comparePage(parts[1].split(",")));
    else if (parts[0] === "study") show(studyPage(parts[1]));
    else show(runsPage(params));
  }

  async function loadExperiments() {
    const res = await api("experiments/search", { max_results: 1000 });
    state.experiments = res.experiments || [];
    expSelect.innerHTML = state.experiments.map(e => `<option value="${esc(e.experiment_id)}">${esc(e.name)}</option>`).join("");
    const saved = localStorage.getItem("tarka.experiment");
    const withRuns = state.experiments.find(e => e.experiment_id === saved) || state.experiments[state.experiments.length - 1];
    if (withRuns) expSelect.value = withRuns.experiment_id;
  }

  expSelect.addEventListener("change", () => {
    localStorage.setItem("tarka.experiment", expSelect.value);
    state.columns = null; state.selected.clear();
    location.hash = "#/runs"; route();
  });

  // ---------------------------------------------------------------- runs table
  async function searchAll(experimentId) {
    let runs = [], token;
    do {
      const res = await api("runs/search", { experiment_ids: [experimentId], filter: state.filter, max_results: 1000,
        order_by: state.orderBy ? [state.orderBy] : [], page_token: token });
      runs = runs.concat(res.runs || []);
      token = res.next_page_token;
    } while (token);
    return runs;
  }

  const kv = list => Object.fromEntries((list || []).map(x => [x.key, x.value]));

  async function runsPage(params) {
    if (params.has("filter")) state.filter = params.get("filter");
    const exp = expSelect.value;
    if (!exp) { view.innerHTML = "<p>No experiments yet. Runs logged by tarka train/eval/hpo appear here.</p>"; ready("runs"); return; }
    const runs = await searchAll(exp);
    const rows = runs.map(r => ({ info: r.info, params: kv(r.data.params), metrics: Object.fromEntries((r.data.metrics || []).map(m => [m.key, m.value])), tags: kv(r.data.tags) }));
    const metricKeys = Array.from(new Set(rows.flatMap(r => Object.keys(r.metrics)))).sort();
    const paramKeys = Array.from(new Set(rows.flatMap(r => Object.keys(r.params)))).sort();
    const all = metricKeys.map(k => "metrics." + k).concat(paramKeys.map(k => "params." + k));
    if (!state.columns) state.columns = all.slice(0, 8);
    const cols = state.columns.filter(c => all.includes(c));
    const header = ["", "Run", "Status", "Started", "Duration"].map((h, i) => {
      const key = [null, "attributes.run_name", "attributes.status", "attributes.start_time", null][i];
      return th(h, key);
    }).join("") + cols.map(c => th(c, c)).join("");
    const body = rows.map(r => {
      const dur = r.info.end_time ? ((r.info.end_time - r.info.start_time) / 1000).toFixed(1) + " s" : "";
      const link = r.tags["tarka.hpo.role"] === "study" ? `#/study/${r.info.run_id}` : `#/run/${r.info.run_id}`;
      const cells = cols.map(c => {
        const [kind, ...rest] = c.split("."); const k = rest.join(".");
        const v = kind === "metrics" ? r.metrics[k] : r.params[k];
        return `<td class="${kind === "metrics" ? "num" : ""}">${esc(fmt(v))}</td>`;
      }).join("");
      return `<tr data-run="${r.info.run_id}"><td><input type="checkbox" class="run-select" value="${r.info.run_id}" ${state.selected.has(r.info.run_id) ? "checked" : ""}></td>` +
        `<td><a href="${link}">${esc(r.info.run_name)}</a>${r.tags["mlflow.parentRunId"] ? " ↳" : ""}</td>` +
        `<td class="status-${r.info.status}">${r.info.status}</td><td>${new Date(r.info.start_time).toLocaleString()}</td><td class="num">${dur}</td>${cells}</tr>`;
    }).join("");
    view.innerHTML = `
      <div class="toolbar">
        <input type="text" id="filter" placeholder="metrics.loss < 2.5 and params.lr = '0.001' and attributes.status = 'FINISHED'" value="${esc(state.filter)}">
        <button id="apply-filter">Search</button>
        <button id="choose-columns">Columns…</button>
        <button id="compare-btn" disabled>Compare selected</button>
        <span id="run-count">${rows.length} runs</span>
      </div>
      <div class="columns" id="column-list">${all.map(c => `<label><input type="checkbox" value="${esc(c)}" ${cols.includes(c) ? "checked" : ""}> ${esc(c)}</label><br>`).join("")}</div>
      <table id="runs-table"><thead><tr>${header}</tr></thead><tbody>${body}</tbody></table>`;
    const compareBtn = document.getElementById("compare-btn");
    const updateCompare = () => { compareBtn.disabled = state.selected.size < 2; compareBtn.textContent = `Compare selected (${state.selected.size})`; };
    updateCompare();
    view.querySelectorAll("input.run-select").forEach(cb => cb.addEventListener("change", () => {
      if (cb.checked) state.selected.add(cb.value); else state.selected.delete(cb.value);
      updateCompare();
    }));
    compareBtn.addEventListener("click", () => { location.hash = "#/compare/" + Array.from(state.selected).join(","); });
    const applyFilter = () => { state.filter = document.getElementById("filter").value; route(); };
    document.getElementById("apply-filter").addEventListener("click", applyFilter);
    document.getElementById("filter").addEventListener("keydown", e => { if (e.key === "Enter") applyFilter(); });
    document.getElementById("choose-columns").addEventListener("click", () => document.getElementById("column-list").classList.toggle("open"));
    document.querySelectorAll("#column-list input").forEach(cb => cb.addEventListener("change", () => {
      state.columns = Array.from(document.querySelectorAll("#column-list input:checked")).map(x => x.value);
      route();
    }));
    view.querySelectorAll("th.sortable").forEach(h => h.addEventListener("click", () => {
      const key = h.dataset.key;
      state.orderBy = state.orderBy === key + " ASC" ? key + " DESC" : key + " ASC";
      route();
    }));
    ready("runs");
  }

  function th(label, key) {
    if (!key) return `<th>${esc(label)}</th>`;
    const cls = state.orderBy === key + " ASC" ? "sorted-asc" : state.orderBy === key + " DESC" ? "sorted-desc" : "";
    return `<th class="sortable ${cls}" data-key="${esc(key)}">${esc(label)}</th>`;
  }

  // ---------------------------------------------------------------- chart controls
  function chartControls(onChange) {
    const c = state.chart;
    const div = document.createElement("div");
    div.className = "toolbar";
    div.innerHTML = `
      <label>x-axis <select id="x-axis"><option value="step">step</option><option value="time" ${c.xAxis === "time" ? "selected" : ""}>time</option></select></label>
      <label>smoothing <input type="range" id="smoothing" min="0" max="0.99" step="0.01" value="${c.smoothing}"> <span id="smoothing-value">${c.smoothing}</span></label>
      <label><input type="checkbox" id="log-scale" ${c.log ? "checked" : ""}> log scale</label>`;
    div.querySelector("#x-axis").addEventListener("change", e => { c.xAxis = e.target.value; onChange(); });
    div.querySelector("#smoothing").addEventListener("input", e => { c.smoothing = Number(e.target.value); div.querySelector("#smoothing-value").textContent = c.smoothing; onChange(); });
    div.querySelector("#log-scale").addEventListener("change", e => { c.log = e.target.checked; onChange(); });
    return div;
  }

  // ---------------------------------------------------------------- run page
  async function runPage(runId) {
    const { run } = await api("runs/get?run_id=" + encodeURIComponent(runId));
    const arts = await api("artifacts/list?run_id=" + encodeURIComponent(runId)).catch(() => ({ files: [] }));
    const hist = await tarka("histories", { run_ids: runId });
    const params = run.data.params || [], metrics = run.data.metrics || [], tags = (run.data.tags || []).filter(t => !t.key.startsWith("mlflow.runName"));
    const inputs = (run.inputs && run.inputs.dataset_inputs) || [];
    const i = run.info;
    view.innerHTML = `
      <h2>${esc(i.run_name)} <small class="status-${i.status}">${i.status}</small></h2>
      <p>Run <code>${i.run_id}</code> · started ${new Date(i.start_time).toLocaleString()}${i.end_time ? " · ended " + new Date(i.end_time).toLocaleString() : ""}
        ${tags.find(t => t.key === "mlflow.parentRunId") ? ` · parent <a href="#/run/${esc(tags.find(t => t.key === "mlflow.parentRunId").value)}">run</a>` : ""}</p>
      <section><h3>Metrics</h3><div id="run-controls"></div><div class="charts" id="run-charts"></div></section>
      <section><h3>Parameters</h3><table id="params-table">${params.map(p => `<tr><td>${esc(p.key)}</td><td>${esc(p.value)}</td></tr>`).join("") || "<tr><td>none</td></tr>"}</table></section>
      <section><h3>Latest metrics</h3><table>${metrics.map(m => `<tr><td>${esc(m.key)}</td><td class="num">${esc(fmt(m.value))}</td><td>step ${m.step}</td></tr>`).join("")}</table></section>
      <section><h3>Inputs</h3><table>${inputs.map(d => `<tr><td>${esc(d.tags[0] ? d.tags[0].value : "")}</td><td>${esc(d.dataset.source)}</td><td><code>${esc(d.dataset.digest.slice(0, 16))}</code></td></tr>`).join("") || "<tr><td>none</td></tr>"}</table></section>
      <section><h3>Artifacts</h3><ul id="artifacts">${(arts.files || []).map(f => f.is_dir ? `<li>${esc(f.path)}/</li>` : `<li><a href="/artifacts/${i.run_id}/${esc(f.path)}">${esc(f.path)}</a> (${f.file_size} bytes)</li>`).join("") || "<li>none</li>"}</ul></section>
      <section><h3>Tags</h3><table>${tags.map(t => `<tr><td>${esc(t.key)}</td><td>${esc(t.value)}</td></tr>`).join("")}</table></section>`;
    const draw = () => {
      const el = document.getElementById("run-charts");
      el.innerHTML = "";
      const perKey = hist.runs[runId] || {};
      Object.keys(perKey).sort().forEach(k => TarkaCharts.lineChart(el, k, [{ label: k, points: perKey[k] }], state.chart));
    };
    document.getElementById("run-controls").appendChild(chartControls(draw));
    draw();
    ready("run");
  }

  // ---------------------------------------------------------------- compare
  async function comparePage(runIds) {
    const runs = await Promise.all(runIds.map(id => api("runs/get?run_id=" + encodeURIComponent(id)).then(r => r.run)));
    const hist = await tarka("histories", { run_ids: runIds.join(",") });
    const params = runs.map(r => kv(r.data.params));
    const keys = Array.from(new Set(params.flatMap(p => Object.keys(p)))).sort();
    const differing = keys.filter(k => new Set(params.map(p => p[k])).size > 1);
    view.innerHTML = `
      <div id="compare-view">
      <h2>Comparing ${runs.length} runs</h2>
      <section><h3>Parameters that differ (${differing.length} of ${keys.length})</h3>
        <table id="param-diff"><thead><tr><th>param</th>${runs.map(r => `<th><a href="#/run/${r.info.run_id}">${esc(r.info.run_name)}</a></th>`).join("")}</tr></thead>
        <tbody>${differing.map(k => `<tr><td>${esc(k)}</td>${params.map(p => `<td>${esc(p[k] === undefined ? "—" : p[k])}</td>`).join("")}</tr>`).join("")}</tbody></table></section>
      <section><h3>Metrics</h3><div id="compare-controls"></div><div class="charts" id="compare-charts"></div></section>
      </div>`;
    const metricKeys = Array.from(new Set(runIds.flatMap(id => Object.keys(hist.runs[id] || {})))).sort();
    const draw = () => {
      const el = document.getElementById("compare-charts");
      el.innerHTML = "";
      metricKeys.forEach(k => TarkaCharts.lineChart(el, k, runs.map(r => ({ label: r.info.run_name, points: (hist.runs[r.info.run_id] || {})[k] || [] })), state.chart));
    };
    document.getElementById("compare-controls").appendChild(chartControls(draw));
    draw();
    ready("compare");
  }

  // ---------------------------------------------------------------- study
  async function studyPage(runId) {
    const s = await tarka("study", { run_id: runId });
    const trials = s.trials;
    const minimize = s.study.direction === "MINIMIZE";
    const names = Array.from(new Set(trials.flatMap(t => Object.keys(t.params))));
    let best = null;
    const bestLine = [];
    trials.forEach(t => {
      if (t.state === "COMPLETE" && t.value != null && (best == null || (minimize ? t.value < best : t.value > best))) best = t.value;
      if (best != null) bestLine.push([t.number, best]);
    });
    const counts = {};
    trials.forEach(t => counts[t.state] = (counts[t.state] || 0) + 1);
    const bestTrial = trials.filter(t => t.state === "COMPLETE").sort((a, b) => minimize ? a.value - b.value : b.value - a.value)[0];
    view.innerHTML = `
      <h2>Study ${esc(s.study.name)} <small class="status-${s.study.status}">${s.study.status}</small></h2>
      <p>${esc(s.study.direction.toLowerCase())} · sampler ${esc(s.study.sampler)} · ${trials.length} trials: ${Object.entries(counts).map(([k, v]) => `<span class="state-${k}">${v} ${k}</span>`).join(", ")}
        · <a href="#/run/${s.study.run_id}">study run</a></p>
      ${bestTrial ? `<p>Best: trial ${bestTrial.number}, value ${fmt(bestTrial.value)}, ${Object.entries(bestTrial.params).map(([k, v]) => `${esc(k)}=${esc(v)}`).join(", ")}</p>` : ""}
      <section class="charts" id="study-charts"></section>
      <section><h3>Parameter importances</h3><p><small>${esc(s.importance_method)}</small></p>
        <table id="importances">${Object.entries(s.importances).map(([k, v]) => `<tr><td>${esc(k)}</td><td><span class="bar" style="width:${Math.round(v * 300)}px"></span> ${(v * 100).toFixed(1)}%</td></tr>`).join("")}</table></section>
      <section><h3>Trials</h3><table id="trials-table"><thead><tr><th>#</th><th>state</th><th>value</th>${names.map(n => `<th>${esc(n)}</th>`).join("")}<th>steps</th></tr></thead>
        <tbody>${trials.map(t => `<tr><td><a href="#/run/${t.run_id}">${t.number}</a></td><td class="state-${t.state}">${t.state}</td><td class="num">${fmt(t.value)}</td>${names.map(n => `<td>${esc(fmt(t.params[n] !== undefined && !isNaN(Number(t.params[n])) ? Number(t.params[n]) : t.params[n]))}</td>`).join("")}<td class="num">${t.intermediate.length}</td></tr>`).join("")}</tbody></table></section>`;
    const el = document.getElementById("study-charts");
    const byState = st => trials.filter(t => t.state === st);
    TarkaCharts.scatterChart(el, "Optimisation history", [
      { label: "complete", color: "#1f77b4", points: byState("COMPLETE").map(t => [t.number, t.value]) },
      { label: "pruned (last value)", color: "#ef6c00", points: byState("PRUNED").filter(t => t.intermediate.length).map(t => [t.number, t.intermediate[t.intermediate.length - 1][1]]) },
    ], bestLine);
    TarkaCharts.lineChart(el, "Intermediate values (pruned trials stop early)", trials.filter(t => t.intermediate.length).map(t => ({
      label: `#${t.number} ${t.state}`, color: t.state === "PRUNED" ? "#ef6c00" : t.state === "FAIL" ? "#b00020" : "#1f77b4",
      points: t.intermediate.map(p => [p[0], 0, p[1]]) })), { xAxis: "step", smoothing: 0, log: false });
    TarkaCharts.parallelCoordinates(el, trials.filter(t => t.state === "COMPLETE"), names, "value");
    ready("study");
  }

  loadExperiments().then(route, e => { view.innerHTML = `<p class="error">${esc(e.message)}</p>`; });
  window.addEventListener("hashchange", route);
})();
