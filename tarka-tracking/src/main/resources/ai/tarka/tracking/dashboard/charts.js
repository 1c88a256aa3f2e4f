// Chart helpers over uPlot: line charts with step/time x-axis, EMA smoothing and log scale.
"use strict";
const TarkaCharts = (() => {
  const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

  // Exponential moving average with the start-up bias removed (as TensorBoard's smoothing slider).
  function smooth(values, weight) {
    if (!weight) return values;
    let last = 0, n = 0;
    return values.map(v => {
      if (v == null || !isFinite(v)) return v;
      last = last * weight + (1 - weight) * v; n++;
      return last / (1 - Math.pow(weight, n));
    });
  }

  // series: [{label, points: [[step, timestampMs, value], ...]}]; options: {xAxis: "step"|"time", smoothing, log}
  function lineChart(el, title, series, options) {
    const xIndex = options.xAxis === "time" ? 1 : 0;
    const xs = new Set();
    series.forEach(s => s.points.forEach(p => xs.add(xIndex === 1 ? p[1] / 1000 : p[0])));
    const xSorted = Array.from(xs).sort((a, b) => a - b);
    const pos = new Map(xSorted.map((x, i) => [x, i]));
    const data = [xSorted];
    series.forEach(s => {
      const ys = new Array(xSorted.length).fill(null);
      s.points.forEach(p => {
        const v = p[2];
        ys[pos.get(xIndex === 1 ? p[1] / 1000 : p[0])] = (options.log && v != null && v <= 0) ? null : v;
      });
      data.push(smooth(ys, options.smoothing));
    });
    const box = document.createElement("div");
    box.className = "chart";
    box.innerHTML = "<h4></h4>";
    box.querySelector("h4").textContent = title;
    el.appendChild(box);
    const opts = {
      width: options.width || 520, height: options.height || 260,
      scales: { x: { time: xIndex === 1 }, y: options.log ? { distr: 3 } : {} },
      series: [{ label: xIndex === 1 ? "time" : "step" }].concat(series.map((s, i) => ({
        label: s.label, stroke: s.color || COLORS[i % COLORS.length], width: 1.5, spanGaps: true,
        points: { show: s.points.length < 60 } }))),
      legend: { live: true },
    };
    return new uPlot(opts, data, box);
  }

  // points: [{x, y, color}] plus optional line [[x, y]]: the optimisation history.
  function scatterChart(el, title, groups, line, options) {
    const xs = new Set();
    groups.forEach(g => g.points.forEach(p => xs.add(p[0])));
    if (line) line.forEach(p => xs.add(p[0]));
    const xSorted = Array.from(xs).sort((a, b) => a - b);
    const pos = new Map(xSorted.map((x, i) => [x, i]));
    const data = [xSorted];
    const series = [{ label: "trial" }];
    groups.forEach(g => {
      const ys = new Array(xSorted.length).fill(null);
      g.points.forEach(p => ys[pos.get(p[0])] = p[1]);
      data.push(ys);
      series.push({ label: g.label, stroke: g.color, paths: () => null, points: { show: true, size: 7, fill: g.color } });
    });
    if (line) {
      const ys = new Array(xSorted.length).fill(null);
      line.forEach(p => ys[pos.get(p[0])] = p[1]);
      data.push(ys);
      series.push({ label: "best so far", stroke: "#d62728", width: 2, spanGaps: true });
    }
    const box = document.createElement("div");
    box.className = "chart";
    box.innerHTML = "<h4></h4>";
    box.querySelector("h4").textContent = title;
    el.appendChild(box);
    return new uPlot({ width: 560, height: 280, scales: { x: { time: false }, y: options && options.log ? { distr: 3 } : {} }, series }, data, box);
  }

  // Parallel coordinates in SVG: one axis per parameter plus the objective, one polyline per trial.
  function parallelCoordinates(el, trials, names, objectiveName) {
    const W = 160 * (names.length + 1), H = 300, top = 30, bottom = 30;
    const axes = names.concat([objectiveName]);
    const value = (t, name) => name === objectiveName ? t.value : t.params[name];
    const scales = axes.map(name => {
      const vals = trials.map(t => value(t, name)).filter(v => v != null);
      const nums = vals.map(Number);
      if (nums.every(v => isFinite(v))) {
        let lo = Math.min(...nums), hi = Math.max(...nums);
        const log = lo > 0 && hi / lo > 100;
        const f = v => log ? Math.log(v) : v;
        const a = f(lo), b = f(hi);
        return { pos: v => H - bottom - (b > a ? (f(Number(v)) - a) / (b - a) : 0.5) * (H - top - bottom), lo, hi };
      }
      const cats = Array.from(new Set(vals.map(String))).sort();
      return { pos: v => top + (cats.length > 1 ? cats.indexOf(String(v)) / (cats.length - 1) : 0.5) * (H - top - bottom), cats };
    });
    const x = i => 60 + i * 160;
    const done = trials.filter(t => t.value != null);
    const vals = done.map(t => t.value);
    const vmin = Math.min(...vals), vmax = Math.max(...vals);
    let svg = `<svg width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">`;
    done.forEach(t => {
      const q = vmax > vmin ? (t.value - vmin) / (vmax - vmin) : 0;
      const color = `hsl(${Math.round(220 - 220 * q)},70%,45%)`;
      const pts = axes.map((name, i) => `${x(i)},${scales[i].pos(value(t, name)).toFixed(1)}`).join(" ");
      svg += `<polyline points="${pts}" fill="none" stroke="${color}" stroke-opacity="0.7"/>`;
    });
    axes.forEach((name, i) => {
      const s = scales[i];
      svg += `<line x1="${x(i)}" y1="${top}" x2="${x(i)}" y2="${H - bottom}" stroke="#333"/>`;
      svg += `<text x="${x(i)}" y="${top - 10}" text-anchor="middle">${escapeHtml(name)}</text>`;
      if (s.cats) s.cats.forEach(c => svg += `<text x="${x(i) + 4}" y="${s.pos(c)}">${escapeHtml(c)}</text>`);
      else {
        svg += `<text x="${x(i) + 4}" y="${H - bottom + 14}">${fmt(s.lo)}</text>`;
        svg += `<text x="${x(i) + 4}" y="${top + 4}">${fmt(s.hi)}</text>`;
      }
    });
    svg += "</svg>";
    const box = document.createElement("div");
    box.className = "chart";
    box.innerHTML = "<h4>Parallel coordinates (complete trials; blue = better)</h4>" + svg;
    el.appendChild(box);
  }

  function fmt(v) {
    if (v == null) return "";
    if (typeof v !== "number") return String(v);
    if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(3);
    return Number(v.toPrecision(5)).toString();
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  return { lineChart, scatterChart, parallelCoordinates, smooth, fmt, escapeHtml, COLORS };
})();
