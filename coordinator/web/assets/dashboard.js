// The flamegrid dashboard: polls /status.json and /frames/recent.json and
// draws the flock (a graph of loops, edges and lineage), the sequences, the
// workers with their throughput, and the most recent frames. It shows how
// much of each sequence's delivery came from participants rather than the
// coordinator, and plays a finished sequence (its web seed) when clicked.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
let previousWorkers = null;  // {time, byId: {id: valid_results}}
let throughput = {};         // worker id -> frames per minute

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
function thumbUrl(id) { return "/sequences/" + id + "/thumbnail.png"; }
function videoUrl(id) { return "/sequences/" + id + ".mp4"; }  // the web seed

// The share of bytes participants delivered: peer / (peer + seed), as text.
function peerShare(peerBytes, seedBytes) {
  const total = (peerBytes || 0) + (seedBytes || 0);
  if (!total) return "–";
  return Math.round((100 * (peerBytes || 0)) / total) + "%";
}
function bytesText(bytes) {
  const b = bytes || 0;
  if (b < 1024) return b + " B";
  if (b < 1048576) return (b / 1024).toFixed(1) + " KB";
  if (b < 1073741824) return (b / 1048576).toFixed(1) + " MB";
  return (b / 1073741824).toFixed(2) + " GB";
}

function play(s) {
  const player = document.getElementById("player");
  player.muted = true;
  player.loop = true;
  player.src = videoUrl(s.id);
  player.hidden = false;
  player.dataset.id = s.id;
  document.getElementById("player-hint").textContent =
      `#${s.id} ${s.name || s.kind}: ${s.frames_total} frames`;
  player.play().catch(() => {});
}
// A rating is a sum of weighted votes (each weighs what its voter rendered).
function ratingText(r) { return String(Math.round((r || 0) * 100) / 100); }
function ago(ms) {
  if (!ms) return "never";
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return s + " s ago";
  if (s < 3600) return Math.round(s / 60) + " min ago";
  return Math.round(s / 3600) + " h ago";
}

function drawGraph(sequences) {
  const graph = document.getElementById("flock-graph");
  graph.replaceChildren();
  const loops = sequences.filter(s => s.kind !== "edge");
  const edges = sequences.filter(s => s.kind === "edge" && s.state !== "retired");
  const w = graph.clientWidth || 1000, h = graph.clientHeight || 420;
  const cx = w / 2, cy = h / 2, r = Math.max(60, Math.min(w, h) / 2 - 50);
  const pos = {};
  loops.forEach((s, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, loops.length) - Math.PI / 2;
    pos[s.id] = loops.length === 1 ? [cx, cy] : [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  });
  const defs = svg("defs");
  const marker = svg("marker", {id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5",
                                markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse"});
  marker.appendChild(svg("path", {d: "M 0 0 L 10 5 L 0 10 z", fill: "#6fa8dc"}));
  defs.appendChild(marker);
  graph.appendChild(defs);
  // Lineage: parent to child, dashed.
  for (const s of loops) {
    for (const p of s.parents || []) {
      if (!pos[p] || !pos[s.id]) continue;
      graph.appendChild(svg("line", {class: "lineage", x1: pos[p][0], y1: pos[p][1],
                                     x2: pos[s.id][0], y2: pos[s.id][1]}));
    }
  }
  // Edges: curved arrows between loops (a pair of opposite edges bend apart).
  for (const e of edges) {
    const a = pos[e.from], b = pos[e.to];
    if (!a || !b) continue;
    const dx = b[0] - a[0], dy = b[1] - a[1], len = Math.hypot(dx, dy) || 1;
    const ux = dx / len, uy = dy / len, off = 38;
    const sx = a[0] + ux * off, sy = a[1] + uy * off, tx = b[0] - ux * off, ty = b[1] - uy * off;
    const mx = (sx + tx) / 2 - uy * 25, my = (sy + ty) / 2 + ux * 25;
    const path = svg("path", {class: "edge " + e.state, d: `M ${sx} ${sy} Q ${mx} ${my} ${tx} ${ty}`,
                              "marker-end": "url(#arrow)"});
    path.appendChild(svg("title", {}, `edge ${e.id}: ${e.from} → ${e.to} (${e.state}, ${e.frames_done}/${e.frames_total})`));
    graph.appendChild(path);
    graph.appendChild(svg("text", {x: mx, y: my, "text-anchor": "middle"}, "#" + e.id));
  }
  // Loops: a tile with the thumbnail, its id, rating and progress.
  for (const s of loops) {
    const [x, y] = pos[s.id];
    const g = svg("g", {class: "node", "data-id": s.id});
    g.appendChild(svg("rect", {class: "tile " + s.state, x: x - 34, y: y - 28, width: 68, height: 56, rx: 4}));
    if (s.frames_done > 0) {
      g.appendChild(svg("image", {href: thumbUrl(s.id), x: x - 32, y: y - 24, width: 64, height: 48,
                                  preserveAspectRatio: "xMidYMid slice"}));
    }
    g.appendChild(svg("text", {x: x, y: y - 32, "text-anchor": "middle"},
                      `#${s.id}  ★${ratingText(s.rating)}`));
    const pct = s.frames_total ? s.frames_done / s.frames_total : 0;
    g.appendChild(svg("rect", {x: x - 32, y: y + 30, width: 64, height: 4, fill: "#2a2e38"}));
    g.appendChild(svg("rect", {x: x - 32, y: y + 30, width: 64 * pct, height: 4, fill: "#ffb347"}));
    g.appendChild(svg("title", {}, `${s.name || "loop"} (#${s.id}): ${s.state}, rating ${ratingText(s.rating)}`));
    graph.appendChild(g);
  }
}

function drawSequences(sequences) {
  const body = document.querySelector("#sequences tbody");
  body.replaceChildren();
  for (const s of sequences.slice().reverse()) {
    const tr = el("tr", {"data-id": s.id, class: "sequence"});
    tr.appendChild(el("td", {class: "id"}, String(s.id)));
    const thumb = el("td");
    if (s.frames_done > 0) thumb.appendChild(el("img", {class: "thumb", src: thumbUrl(s.id), alt: "sequence " + s.id}));
    tr.appendChild(thumb);
    tr.appendChild(el("td", {}, s.kind));
    tr.appendChild(el("td", {}, s.name || ""));
    tr.appendChild(el("td", {class: "state-" + s.state}, s.state + (s.failure ? " (" + s.failure + ")" : "")));
    const progress = el("td");
    const bar = el("span", {class: "bar"});
    const fill = el("span");
    fill.style.width = (s.frames_total ? (100 * s.frames_done) / s.frames_total : 0) + "%";
    bar.appendChild(fill);
    progress.appendChild(bar);
    progress.appendChild(document.createTextNode(` ${s.frames_done}/${s.frames_total}`));
    tr.appendChild(progress);
    tr.appendChild(el("td", {class: s.rating > 0 ? "rating-pos" : s.rating < 0 ? "rating-neg" : ""},
                      `${ratingText(s.rating)} (${s.votes} vote${s.votes === 1 ? "" : "s"})`));
    let lineage = "";
    if (s.kind === "edge") lineage = `edge ${s.from} → ${s.to}`;
    else if (s.parents && s.parents.length) lineage = "child of " + s.parents.join(" × ");
    else lineage = "submitted";
    tr.appendChild(el("td", {}, lineage));
    tr.appendChild(el("td", {class: "peer-share",
                             title: `peers ${bytesText(s.peer_bytes_uploaded)}, coordinator ${bytesText(s.seed_bytes_uploaded)}`},
                      peerShare(s.peer_bytes_uploaded, s.seed_bytes_uploaded)));
    // (No attribute is added to the row: its markup stays <tr data-id class="sequence">.)
    if (s.state === "done") tr.addEventListener("click", () => play(s));
    body.appendChild(tr);
  }
}

function drawWorkers(workers) {
  const now = Date.now();
  if (previousWorkers && now > previousWorkers.time) {
    for (const w of workers) {
      const before = previousWorkers.byId[w.id];
      if (before !== undefined) throughput[w.id] = ((w.valid_results - before) * 60000) / (now - previousWorkers.time);
    }
  }
  previousWorkers = {time: now, byId: Object.fromEntries(workers.map(w => [w.id, w.valid_results]))};
  const body = document.querySelector("#workers tbody");
  body.replaceChildren();
  for (const w of workers) {
    const tr = el("tr", {"data-id": w.id});
    const rate = throughput[w.id];
    for (const text of [String(w.id), w.name + (w.quarantined ? " (quarantined)" : ""), String(w.threads),
                        String(w.valid_results), rate === undefined ? "…" : rate.toFixed(1),
                        String(w.invalid_results), ago(w.last_seen_unix_ms)]) {
      tr.appendChild(el("td", {}, text));
    }
    body.appendChild(tr);
  }
}

function drawRecent(frames) {
  const box = document.getElementById("recent-frames");
  box.replaceChildren();
  for (const f of frames) {
    const fig = el("figure");
    fig.appendChild(el("img", {src: f.url, alt: `sequence ${f.sequence} frame ${f.frame}`}));
    fig.appendChild(el("figcaption", {}, `#${f.sequence} frame ${f.frame}`));
    box.appendChild(fig);
  }
}

async function refresh() {
  try {
    const status = await (await fetch("/status.json", {cache: "no-store"})).json();
    const seqs = status.sequences || [];
    const loops = seqs.filter(s => s.kind !== "edge" && s.state !== "retired").length;
    const edges = seqs.filter(s => s.kind === "edge" && s.state !== "retired").length;
    // Workers come as a summary and one page (a grid may have 100,000).
    const w = status.workers_summary || {registered: (status.workers || []).length};
    document.getElementById("summary").textContent =
        `${loops} loops, ${edges} edges, ${w.registered} workers` +
        (w.seen_recently !== undefined
             ? ` (${w.seen_recently} seen in the last hour, ${w.trusted} trusted, ${w.quarantined} quarantined)`
             : "");
    document.getElementById("workers-page").textContent =
        (status.workers || []).length < w.registered
            ? `the first ${(status.workers || []).length} of ${w.registered} by id (/status.json?workers_offset=N&workers_limit=M for more)`
            : "";
    document.getElementById("delivery").textContent =
        `delivered by peers: ${peerShare(status.peer_bytes_uploaded, status.seed_bytes_uploaded)}` +
        ` (peers ${bytesText(status.peer_bytes_uploaded)}, coordinator ${bytesText(status.seed_bytes_uploaded)})`;
    drawGraph(seqs);
    drawSequences(seqs);
    // A link to the page can ask for a sequence to play: /#play=ID.
    const wanted = /^#play=(\d+)$/.exec(location.hash);
    const player = document.getElementById("player");
    if (wanted && player.dataset.id !== wanted[1]) {
      const s = seqs.find(q => String(q.id) === wanted[1] && q.state === "done");
      if (s) play(s);
    }
    drawWorkers(status.workers || []);
    const recent = await (await fetch("/frames/recent.json", {cache: "no-store"})).json();
    drawRecent(recent.frames || []);
    document.body.dataset.loaded = "1";
  } catch (e) {
    document.getElementById("summary").textContent = "cannot reach the coordinator: " + e;
  }
}

refresh();
setInterval(refresh, 5000);
