/**
 * The report page's script, inlined into every report. Plain ES2020 for current browsers, no
 * libraries. It reads the data island and the gzip'd columns, draws the timeline on a canvas sized
 * to the viewport (only what is visible; calls narrower than a pixel are summed into a density bar
 * per pixel column), and builds the side panels with textContent only: no string from the log ever
 * goes through innerHTML, so a comm named `<script>` stays text.
 *
 * Kept as a string (the build has no browser target); it uses no backquotes or template holes.
 */
export const REPORT_JS = String.raw`
'use strict';
(function () {
  var body = document.body;
  var T = window.tasklensReport = { state: 'loading' };
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fail(message) {
    T.state = 'error';
    body.setAttribute('data-state', 'error');
    var box = document.getElementById('error');
    box.textContent = 'This report could not be shown: ' + message;
    box.style.display = 'block';
  }
  function b64(id) {
    var s = document.getElementById(id).textContent.trim();
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function gunzip(bytes) {
    if (bytes.length === 0) return Promise.resolve(new ArrayBuffer(0));
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).arrayBuffer();
  }

  var data;
  if (typeof DecompressionStream !== 'function') { fail('this browser has no DecompressionStream (Chrome 80+, Firefox 113+, Safari 16.4+ have it)'); return; }
  // Milliseconds since navigation at each stage (for the benchmark and for the curious).
  var timings = T.timings = {};
  function mark(name) { timings[name] = Math.round(performance.now()); }
  mark('script');
  Promise.all([gunzip(b64('tl-data')), gunzip(b64('tl-calls'))]).then(function (parts) {
    mark('unzipped');
    var text = new TextDecoder();
    data = JSON.parse(text.decode(parts[0]));
    var cols = unpack(parts[1], data.calls.count, data.calls.layout);
    var details = detailStore(data.detailChunk);
    mark('decoded');
    start(cols, details);
  }).catch(function (e) { fail(String(e && e.message || e)); });

  // The details (raw lines and explanations) are base64 chunks of gzip'd JSON separated by '.', each
  // unpacked the first time one of its lines is shown: a million-call report opens without parsing them.
  function detailStore(perChunk) {
    var text = document.getElementById('tl-details').textContent.trim();
    var parts = text ? text.split('.') : [];
    var chunks = [], loading = [];
    function bytes(k) {
      var bin = atob(parts[k]), out = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
      return out;
    }
    return {
      /** The detail when its chunk is unpacked, else undefined. */
      get: function (i) { var c = chunks[Math.floor(i / perChunk)]; return c ? c[i % perChunk] : undefined; },
      /** Resolves when the detail's chunk is unpacked. */
      load: function (i) {
        var k = Math.floor(i / perChunk);
        if (!loading[k]) loading[k] = gunzip(bytes(k)).then(function (buf) { chunks[k] = JSON.parse(new TextDecoder().decode(buf)); });
        return loading[k];
      },
    };
  }

  function unpack(buf, n, layout) {
    var cols = { count: n };
    var off = 0;
    for (var i = 0; i < layout.length; i++) {
      var Ctor = window[layout[i].type];
      var col = cols[layout[i].name] = new Ctor(buf, off, n);
      off += n * Ctor.BYTES_PER_ELEMENT;
      if (layout[i].delta) {
        for (var k = 1; k < n; k++) col[k] += col[k - 1];
        // Float sums drift in the last bits: times are microseconds with 3 decimals.
        if (layout[i].type === 'Float64Array') for (k = 0; k < n; k++) col[k] = Math.round(col[k] * 1000) / 1000;
      }
      off += (8 - off % 8) % 8;
    }
    return cols;
  }

  function start(cols, details) {
    var lanes = data.lanes, procs = data.processes, names = data.names, errnos = data.errnos;
    // A call cut short by a signal (ERESTART*, EINTR) was interrupted, not wrong: drawn apart from failures.
    var interrupted = errnos.map(function (e) { return e.indexOf('ERESTART') === 0 || e === 'EINTR'; });
    var nLanes = lanes.length, unitUs = data.timeUnit === 'us';
    document.title = data.title + ' (tasklens report)';

    // ------------------------------------------------------------ indexes
    var laneCount = new Int32Array(nLanes + 1);
    for (var i = 0; i < cols.count; i++) if (cols.lane[i] >= 0) laneCount[cols.lane[i] + 1]++;
    var laneOff = new Int32Array(nLanes + 1);
    for (var l = 0; l < nLanes; l++) laneOff[l + 1] = laneOff[l] + laneCount[l + 1];
    var fill = laneOff.slice(0, nLanes);
    var laneCalls = new Int32Array(laneOff[nLanes]);
    for (i = 0; i < cols.count; i++) { var ln = cols.lane[i]; if (ln >= 0) laneCalls[fill[ln]++] = i; }
    var laneMaxDur = new Float64Array(nLanes);
    for (l = 0; l < nLanes; l++) {
      var a = laneOff[l], b = laneOff[l + 1], sorted = true;
      for (var k = a; k < b; k++) {
        var c = laneCalls[k];
        if (cols.dur[c] > laneMaxDur[l]) laneMaxDur[l] = cols.dur[c];
        if (k > a && cols.start[c] < cols.start[laneCalls[k - 1]]) sorted = false;
      }
      if (!sorted) {
        var seg = Array.prototype.slice.call(laneCalls.subarray(a, b));
        seg.sort(function (x, y) { return cols.start[x] - cols.start[y]; });
        laneCalls.set(seg, a);
      }
    }
    var laneMarkers = [];
    for (l = 0; l < nLanes; l++) laneMarkers.push([]);
    data.markers.forEach(function (m, idx) { m.index = idx; laneMarkers[m.lane].push(m); });
    // Rows: a header row per process, then its lanes.
    var rows = [], laneRow = new Int32Array(nLanes);
    procs.forEach(function (p, pi) {
      rows.push({ proc: pi });
      p.lanes.forEach(function (ln) { laneRow[ln] = rows.length; rows.push({ lane: ln }); });
    });

    // ------------------------------------------------------------ text helpers
    function fmtT(t) {
      if (!unitUs) return 'event ' + Math.round(t);
      var s = t / 1e6;
      if (Math.abs(s) >= 1) return s.toFixed(6) + ' s';
      if (Math.abs(t) >= 1000) return (t / 1000).toFixed(3) + ' ms';
      return t.toFixed(3).replace(/\.?0+$/, '') + ' \u00b5s';
    }
    function fmtDur(d) {
      if (d < 0) return 'not measured (no -T)';
      return unitUs ? fmtT(d) : String(d);
    }
    function laneName(ln) {
      var L = lanes[ln], p = procs[L.process];
      var prog = p.command && p.command.length ? p.command[0].split('/').pop() : '';
      return (L.comm || prog || '?') + ' ' + L.tid + (L.leader ? '' : ' (thread)');
    }
    function procName(pi) {
      var p = procs[pi];
      return 'pid ' + p.pid + (p.command ? '  ' + p.command.join(' ') : '');
    }
    function lineRef(line, file) {
      if (line === undefined) return 'not in the log';
      var src = data.sources[file || 0];
      return (src ? src + ':' : 'line ') + line;
    }

    // ------------------------------------------------------------ canvas and view
    var box = document.getElementById('timeline');
    var canvas = el('canvas');
    box.appendChild(canvas);
    box.setAttribute('data-lanes', String(nLanes));
    var ctx = canvas.getContext('2d');
    var LABEL = 210, ROW = 20, AXIS = 22;
    var pad = Math.max(1, data.span * 0.02);
    var view = { t0: -pad, t1: data.span + pad, y: 0 };
    var W = 0, H = 0, dpr = 1;
    function resize() {
      dpr = window.devicePixelRatio || 1;
      W = box.clientWidth; H = box.clientHeight;
      canvas.width = Math.max(1, Math.floor(W * dpr)); canvas.height = Math.max(1, Math.floor(H * dpr));
      canvas.style.width = W + 'px'; canvas.style.height = H + 'px';
      draw();
    }
    function px(t) { return LABEL + (t - view.t0) / (view.t1 - view.t0) * (W - LABEL); }
    function tAt(x) { return view.t0 + (x - LABEL) / (W - LABEL) * (view.t1 - view.t0); }
    function rowY(r) { return AXIS + r * ROW - view.y; }
    function laneMid(ln) { return rowY(laneRow[ln]) + ROW / 2; }
    var selected = null;
    var pending = false;
    var MAX_ARROWS = 250, drawn = [];
    var arrowNote = document.getElementById('arrow-note');
    function draw() {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () { pending = false; paint(); });
    }

    var COLORS = { birth: '#2e8b57', exec: '#7a4fb5', exit: '#555555', signal: '#d98a00', fail: '#c8372d', interrupted: '#9fb4c9', call: '#4a78b5', thread: '#cfe3f7', process: '#d8efd2', fork: '#2e8b57' };
    function paint() {
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, W, H);
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      var first = Math.max(0, Math.floor(view.y / ROW)), last = Math.min(rows.length - 1, Math.ceil((view.y + H) / ROW));
      var plotW = W - LABEL;
      var bucket = new Float64Array(Math.max(1, Math.ceil(plotW)) + 2);
      var bucketFail = new Uint8Array(bucket.length);
      for (var r = first; r <= last; r++) {
        var y = rowY(r), row = rows[r];
        if (row.proc !== undefined) {
          ctx.fillStyle = '#efefec'; ctx.fillRect(0, y, W, ROW);
          ctx.fillStyle = '#333'; ctx.fillText(clipText(procName(row.proc), W - 8), 4 + procs[row.proc].depth * 8, y + ROW / 2);
          continue;
        }
        var ln = row.lane, L = lanes[ln];
        if (selected && selected.kind === 'lane' && selected.lane === ln) { ctx.fillStyle = '#fff6d5'; ctx.fillRect(0, y, W, ROW); }
        ctx.save();
        ctx.beginPath(); ctx.rect(LABEL, y, plotW, ROW); ctx.clip();
        var x0 = px(L.start), x1 = Math.max(px(L.end), x0 + 2);
        ctx.fillStyle = L.leader ? COLORS.process : COLORS.thread;
        ctx.fillRect(x0, y + 3, x1 - x0, ROW - 6);
        // Calls: spans when wider than 2 px, else summed per pixel column.
        bucket.fill(0); bucketFail.fill(0);
        var a = laneOff[ln], b = laneOff[ln + 1];
        var from = lowerBound(a, b, view.t0 - laneMaxDur[ln]);
        var scale = plotW / (view.t1 - view.t0);
        for (var k = from; k < b; k++) {
          var c = laneCalls[k], s = cols.start[c];
          if (s > view.t1) break;
          var d = cols.dur[c], e = d > 0 ? s + d : s;
          if (e < view.t0) continue;
          var cx0 = LABEL + (s - view.t0) * scale, cx1 = LABEL + (e - view.t0) * scale;
          var failed = cols.errno[c] !== 0 && !interrupted[cols.errno[c]];
          if (cx1 - cx0 >= 2) {
            ctx.fillStyle = failed ? COLORS.fail : cols.errno[c] ? COLORS.interrupted : cols.open[c] ? '#8aa6cc' : COLORS.call;
            ctx.fillRect(cx0, y + 5, cx1 - cx0, ROW - 10);
            if (cx1 - cx0 > 40) { ctx.fillStyle = '#fff'; ctx.fillText(clipText(names[cols.name[c]], cx1 - cx0 - 4), Math.max(cx0, LABEL) + 2, y + ROW / 2); }
          } else {
            var col = Math.floor(cx0 - LABEL);
            if (col >= 0 && col < bucket.length) { bucket[col]++; if (failed) bucketFail[col] = 1; }
          }
        }
        for (var col2 = 0; col2 < bucket.length; col2++) {
          var n = bucket[col2];
          if (n === 0) continue;
          var h = Math.min(ROW - 6, 3 + Math.log2(n + 1) * 2);
          ctx.fillStyle = bucketFail[col2] ? COLORS.fail : COLORS.call;
          ctx.fillRect(LABEL + col2, y + ROW - 3 - h, 1, h);
        }
        // Markers.
        // Markers: one per kind every 2 px (thousands of SIGCHLDs on one lane would cover its calls).
        var ms = laneMarkers[ln], lastX = {};
        for (var mi = 0; mi < ms.length; mi++) {
          var m = ms[mi], mx = px(m.t), isSel = selected && selected.kind === 'marker' && selected.index === m.index;
          if (mx < LABEL - 6 || mx > W + 6) continue;
          if (!isSel && lastX[m.kind] !== undefined && mx - lastX[m.kind] < 2) continue;
          lastX[m.kind] = mx;
          drawMarker(m, mx, y + ROW / 2, isSel);
        }
        ctx.restore();
        ctx.fillStyle = L.endKind === 'killed' ? COLORS.fail : '#222';
        ctx.fillText(clipText(laneName(ln), LABEL - 10 - procs[L.process].depth * 8), 6 + procs[L.process].depth * 8, y + ROW / 2);
      }
      // Arrows over the lanes, with a level of detail: thousands of fork and SIGCHLD arrows over a
      // whole trace would hide everything. Arrows with an end in view first; if too many, only those
      // with both ends in view; if still too many, none (the toolbar says to zoom in).
      var visible = [], inside = [];
      data.arrows.forEach(function (ar, idx) {
        var p = arrowPoints(ar);
        if (Math.max(p.x0, p.x1) < LABEL || Math.min(p.x0, p.x1) > W) return;
        var in0 = p.y0 >= AXIS && p.y0 <= H && p.x0 >= LABEL && p.x0 <= W, in1 = p.y1 >= AXIS && p.y1 <= H && p.x1 >= LABEL && p.x1 <= W;
        if (!in0 && !in1) return;
        visible.push(idx);
        if (in0 && in1) inside.push(idx);
      });
      drawn = visible.length <= MAX_ARROWS ? visible : inside.length <= MAX_ARROWS ? inside : [];
      var hidden = visible.length - drawn.length;
      if (arrowNote) arrowNote.textContent = hidden > 0 ? hidden + ' arrows hidden: zoom in to see them' : '';
      ctx.save();
      ctx.beginPath(); ctx.rect(LABEL, AXIS, plotW, H - AXIS); ctx.clip();
      drawn.forEach(function (idx) {
        var ar = data.arrows[idx];
        var p = arrowPoints(ar);
        var sel = selected && selected.kind === 'arrow' && selected.index === idx;
        ctx.strokeStyle = sel ? '#000' : ar.kind === 'fork' ? COLORS.fork : COLORS.signal;
        ctx.fillStyle = ctx.strokeStyle;
        ctx.lineWidth = sel ? 2.5 : 1.3;
        if (ar.kind === 'signal') ctx.setLineDash([4, 3]); else ctx.setLineDash([]);
        ctx.beginPath(); ctx.moveTo(p.x0, p.y0); ctx.lineTo(p.x1, p.y1); ctx.stroke();
        ctx.setLineDash([]);
        var ang = Math.atan2(p.y1 - p.y0, p.x1 - p.x0);
        ctx.beginPath(); ctx.moveTo(p.x1, p.y1);
        ctx.lineTo(p.x1 - 7 * Math.cos(ang - 0.4), p.y1 - 7 * Math.sin(ang - 0.4));
        ctx.lineTo(p.x1 - 7 * Math.cos(ang + 0.4), p.y1 - 7 * Math.sin(ang + 0.4));
        ctx.closePath(); ctx.fill();
        if (ar.kind === 'signal' && Math.abs(p.y1 - p.y0) > 14) {
          ctx.fillStyle = '#8a5a00';
          ctx.fillText(ar.label, (p.x0 + p.x1) / 2 + 4, (p.y0 + p.y1) / 2);
        }
      });
      ctx.restore();
      // Axis.
      ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, W, AXIS);
      ctx.strokeStyle = '#ccc'; ctx.beginPath(); ctx.moveTo(0, AXIS - 0.5); ctx.lineTo(W, AXIS - 0.5); ctx.moveTo(LABEL - 0.5, 0); ctx.lineTo(LABEL - 0.5, H); ctx.stroke();
      var step = niceStep((view.t1 - view.t0) / Math.max(1, plotW / 110));
      ctx.fillStyle = '#555';
      for (var t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) {
        var tx = px(t);
        ctx.fillRect(tx, AXIS - 6, 1, 6);
        ctx.fillText(fmtT(t), tx + 3, AXIS / 2);
      }
      ctx.fillStyle = '#777';
      ctx.fillText(nLanes + ' tasks, ' + procs.length + ' processes', 6, AXIS / 2);
    }
    function arrowPoints(ar) {
      var y0 = laneMid(ar.from), y1 = laneMid(ar.to);
      return { x0: px(ar.fromT), y0: y0, x1: px(ar.toT), y1: y1 + (y1 > y0 ? -4 : 4) };
    }
    function drawMarker(m, x, y, sel) {
      ctx.fillStyle = m.alert ? COLORS.fail : COLORS[m.kind];
      ctx.beginPath();
      if (m.kind === 'birth') { ctx.moveTo(x, y - 6); ctx.lineTo(x + 7, y); ctx.lineTo(x, y + 6); ctx.closePath(); }
      else if (m.kind === 'exec') { ctx.moveTo(x, y - 6); ctx.lineTo(x + 5, y); ctx.lineTo(x, y + 6); ctx.lineTo(x - 5, y); ctx.closePath(); }
      else if (m.kind === 'exit') { ctx.rect(x - 4, y - 5, 8, 10); }
      else { ctx.arc(x, y, 4, 0, Math.PI * 2); }
      ctx.fill();
      if (sel) { ctx.strokeStyle = '#000'; ctx.lineWidth = 2; ctx.stroke(); }
    }
    function lowerBound(a, b, t) {
      while (a < b) { var mid = (a + b) >> 1; if (cols.start[laneCalls[mid]] < t) a = mid + 1; else b = mid; }
      return a;
    }
    function niceStep(raw) {
      var p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
      var f = raw / p;
      return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }
    function clipText(s, w) {
      s = String(s);
      if (w <= 8) return '';
      if (ctx.measureText(s).width <= w) return s;
      var lo = 0, hi = s.length;
      while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (ctx.measureText(s.slice(0, mid) + '\u2026').width <= w) lo = mid; else hi = mid - 1; }
      return s.slice(0, lo) + '\u2026';
    }

    // ------------------------------------------------------------ hit testing
    function hit(x, y) {
      if (y < AXIS) return null;
      var r = Math.floor((y - AXIS + view.y) / ROW);
      var row = rows[r];
      // Markers first (they are small), then arrows, then calls, then the lane itself.
      if (row && row.lane !== undefined && x >= LABEL) {
        var best = null, bd = 7;
        laneMarkers[row.lane].forEach(function (m) { var d = Math.abs(px(m.t) - x); if (d < bd) { bd = d; best = m; } });
        if (best) return { kind: 'marker', index: best.index };
      }
      if (x >= LABEL) {
        var ba = -1, bad = 5;
        drawn.forEach(function (idx) {
          var p = arrowPoints(data.arrows[idx]), d = segDist(x, y, p.x0, p.y0, p.x1, p.y1);
          if (d < bad) { bad = d; ba = idx; }
        });
        if (ba >= 0) return { kind: 'arrow', index: ba };
      }
      if (!row || row.lane === undefined) return null;
      var ln = row.lane;
      if (x >= LABEL) {
        var t = tAt(x), tol = 3 * (view.t1 - view.t0) / (W - LABEL);
        var a = laneOff[ln], b = laneOff[ln + 1];
        var k = lowerBound(a, b, t - laneMaxDur[ln] - tol), found = -1, fd = Infinity;
        for (; k < b; k++) {
          var c = laneCalls[k], s = cols.start[c];
          if (s > t + tol) break;
          var e = s + Math.max(0, cols.dur[c]);
          var d = t < s ? s - t : t > e ? t - e : 0;
          if (d <= tol && d < fd) { fd = d; found = c; }
        }
        if (found >= 0) return { kind: 'call', index: found };
      }
      return { kind: 'lane', lane: ln };
    }
    function segDist(x, y, x0, y0, x1, y1) {
      var dx = x1 - x0, dy = y1 - y0, len = dx * dx + dy * dy;
      var t = len ? Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / len)) : 0;
      var qx = x0 + t * dx - x, qy = y0 + t * dy - y;
      return Math.sqrt(qx * qx + qy * qy);
    }
    function describe(h) {
      if (!h) return null;
      var out = { title: '', rows: [], detail: undefined, line: undefined, file: undefined };
      if (h.kind === 'marker') {
        var m = data.markers[h.index];
        out.title = m.kind + ': ' + m.label;
        out.rows.push(['task', laneName(m.lane)], ['time', fmtT(m.t)]);
        out.detail = m.detail; out.line = m.line; out.file = m.file;
      } else if (h.kind === 'arrow') {
        var ar = data.arrows[h.index];
        out.title = (ar.kind === 'fork' ? 'created: ' : 'signal: ') + ar.label;
        out.rows.push(['from', laneName(ar.from) + ' at ' + fmtT(ar.fromT)], ['to', laneName(ar.to) + ' at ' + fmtT(ar.toT)]);
        if (ar.fromLine !== undefined) out.rows.push([ar.kind === 'fork' ? 'creating call' : 'sent by', lineRef(ar.fromLine, ar.file)]);
        out.detail = ar.detail; out.line = ar.line; out.file = ar.file;
      } else if (h.kind === 'call') {
        var c = h.index;
        out.title = names[cols.name[c]] + (cols.errno[c] ? (interrupted[cols.errno[c]] ? ' interrupted: ' : ' failed: ') + errnos[cols.errno[c]] : '');
        out.rows.push(['task', laneName(cols.lane[c])], ['start', fmtT(cols.start[c])], ['duration', cols.open[c] ? 'never returned in the log' : fmtDur(cols.dur[c])]);
        out.detail = cols.detail[c] >= 0 ? cols.detail[c] : undefined; out.line = cols.line[c]; out.file = cols.file[c];
      } else if (h.kind === 'lane') {
        var L = lanes[h.lane], p = procs[L.process];
        out.title = 'task ' + laneName(h.lane);
        out.rows.push(['process', procName(L.process)], ['born', L.birth], ['lifetime', fmtT(L.start) + ' \u2192 ' + fmtT(L.end)], ['end', L.endText], ['syscalls', String(L.syscalls)]);
        void p;
      }
      return out;
    }

    // ------------------------------------------------------------ details panel
    var detailsBox = document.getElementById('details');
    function show(h) {
      selected = h;
      draw();
      detailsBox.textContent = '';
      var d = describe(h);
      if (!d) { detailsBox.appendChild(el('p', 'empty', 'Click a call, a marker or an arrow.')); return; }
      detailsBox.setAttribute('data-kind', h.kind);
      detailsBox.appendChild(el('h3', null, d.title));
      var dl = el('dl');
      d.rows.forEach(function (r) { dl.appendChild(el('dt', null, r[0])); dl.appendChild(el('dd', null, r[1])); });
      if (d.line !== undefined) { dl.appendChild(el('dt', null, 'line')); var dd = el('dd', 'line-ref', lineRef(d.line, d.file)); dd.setAttribute('data-line', String(d.line)); dl.appendChild(dd); }
      detailsBox.appendChild(dl);
      var det = d.detail !== undefined ? details.get(d.detail) : undefined;
      if (d.detail !== undefined && !det) {
        detailsBox.appendChild(el('p', 'note', 'unpacking the line\u2026'));
        details.load(d.detail).then(function () { if (selected === h) show(h); });
      } else if (det) {
        if (det.text) { detailsBox.appendChild(el('h4', null, 'What it means')); detailsBox.appendChild(el('p', 'explanation', det.text)); }
        detailsBox.appendChild(el('h4', null, 'As logged'));
        detailsBox.appendChild(el('pre', 'raw', det.raw));
      } else if (d.line !== undefined) {
        detailsBox.appendChild(el('p', 'note', 'The text of this line is not embedded in the report (kept small); see the log.'));
      }
      if (h.kind === 'lane' || h.kind === 'call' || h.kind === 'marker') showCounts(h.kind === 'lane' ? h.lane : h.kind === 'call' ? cols.lane[h.index] : data.markers[h.index].lane);
    }
    T.select = show;

    // ------------------------------------------------------------ navigation
    function centerOn(t, ln) {
      var w = view.t1 - view.t0;
      view.t0 = t - w / 2; view.t1 = t + w / 2;
      if (ln !== undefined) view.y = Math.max(0, laneRow[ln] * ROW - (H - AXIS) / 2);
      draw();
    }
    function findLine(line, file) {
      for (var i2 = 0; i2 < data.markers.length; i2++) { var m = data.markers[i2]; if (m.line === line && (m.file || 0) === (file || 0)) return { kind: 'marker', index: i2, t: m.t, lane: m.lane }; }
      for (var c = 0; c < cols.count; c++) if (cols.line[c] === line && cols.file[c] === (file || 0)) return { kind: 'call', index: c, t: cols.start[c], lane: cols.lane[c] };
      return null;
    }
    function goToLine(line, file) {
      var f = findLine(line, file);
      if (!f) return false;
      centerOn(f.t, f.lane);
      show({ kind: f.kind, index: f.index });
      return true;
    }
    T.goToLine = goToLine;
    function lineLink(line, file) {
      var a = el('span', 'link', lineRef(line, file));
      a.setAttribute('data-line', String(line));
      a.addEventListener('click', function () { goToLine(line, file); });
      return a;
    }

    // ------------------------------------------------------------ mouse and keys
    var tip = document.getElementById('tooltip');
    var drag = null;
    canvas.addEventListener('mousedown', function (ev) { drag = { x: ev.clientX, y: ev.clientY, t0: view.t0, t1: view.t1, vy: view.y, moved: false }; box.style.cursor = 'grabbing'; });
    window.addEventListener('mouseup', function (ev) {
      if (!drag) return;
      var wasClick = !drag.moved;
      drag = null; box.style.cursor = '';
      if (wasClick && ev.target === canvas) { var r = canvas.getBoundingClientRect(); show(hit(ev.clientX - r.left, ev.clientY - r.top)); }
    });
    window.addEventListener('mousemove', function (ev) {
      var r = canvas.getBoundingClientRect();
      if (drag) {
        var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
        if (drag.moved) {
          var dt = dx / (W - LABEL) * (drag.t1 - drag.t0);
          view.t0 = drag.t0 - dt; view.t1 = drag.t1 - dt;
          view.y = clampY(drag.vy - dy);
          draw();
        }
        return;
      }
      if (ev.target !== canvas) { tip.style.display = 'none'; return; }
      var d = describe(hit(ev.clientX - r.left, ev.clientY - r.top));
      if (!d) { tip.style.display = 'none'; return; }
      var det = d.detail !== undefined ? details.get(d.detail) : undefined;
      if (d.detail !== undefined && !det) details.load(d.detail);
      tip.textContent = d.title + '\n' + d.rows.map(function (x) { return x[0] + ': ' + x[1]; }).join('\n') + (d.line !== undefined ? '\n' + lineRef(d.line, d.file) : '') + (det && det.text ? '\n' + det.text.split('\n')[0] : '');
      tip.style.display = 'block';
      tip.style.left = Math.min(ev.clientX + 14, window.innerWidth - 530) + 'px';
      tip.style.top = (ev.clientY + 14) + 'px';
    });
    canvas.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
    function clampY(y) { return Math.max(0, Math.min(y, Math.max(0, rows.length * ROW - (H - AXIS) + ROW))); }
    function zoom(f, x) {
      var t = tAt(x === undefined ? LABEL + (W - LABEL) / 2 : x);
      var w = (view.t1 - view.t0) * f;
      if (w < 1e-3) w = 1e-3;
      var frac = (t - view.t0) / (view.t1 - view.t0);
      view.t0 = t - frac * w; view.t1 = view.t0 + w;
      draw();
    }
    canvas.addEventListener('wheel', function (ev) {
      ev.preventDefault();
      var r = canvas.getBoundingClientRect();
      if (ev.ctrlKey || ev.metaKey || ev.altKey) zoom(ev.deltaY > 0 ? 1.25 : 0.8, ev.clientX - r.left);
      else if (ev.shiftKey) { var dt = (ev.deltaY || ev.deltaX) / (W - LABEL) * (view.t1 - view.t0); view.t0 += dt; view.t1 += dt; draw(); }
      else { view.y = clampY(view.y + ev.deltaY); draw(); }
    }, { passive: false });
    function fit() { view.t0 = -pad; view.t1 = data.span + pad; view.y = 0; draw(); }
    document.getElementById('zoom-in').addEventListener('click', function () { zoom(0.5); });
    document.getElementById('zoom-out').addEventListener('click', function () { zoom(2); });
    document.getElementById('zoom-fit').addEventListener('click', fit);
    window.addEventListener('keydown', function (ev) {
      if (ev.target && (ev.target.tagName === 'INPUT')) return;
      var w = view.t1 - view.t0;
      if (ev.key === '+' || ev.key === '=') zoom(0.5);
      else if (ev.key === '-') zoom(2);
      else if (ev.key === '0') fit();
      else if (ev.key === 'ArrowLeft') { view.t0 -= w / 5; view.t1 -= w / 5; draw(); }
      else if (ev.key === 'ArrowRight') { view.t0 += w / 5; view.t1 += w / 5; draw(); }
      else if (ev.key === 'ArrowUp') { view.y = clampY(view.y - ROW * 3); draw(); }
      else if (ev.key === 'ArrowDown') { view.y = clampY(view.y + ROW * 3); draw(); }
    });
    window.addEventListener('resize', resize);
    // Search: a TID, a PID or part of a name or command; Enter goes to the next matching lane.
    var search = document.getElementById('search'), searchAt = -1;
    search.addEventListener('keydown', function (ev) {
      if (ev.key !== 'Enter') return;
      var q = search.value.trim().toLowerCase();
      if (!q) return;
      for (var n = 1; n <= nLanes; n++) {
        var ln = (searchAt + n) % nLanes, L = lanes[ln], p = procs[L.process];
        var hay = (laneName(ln) + ' ' + p.pid + ' ' + (p.command ? p.command.join(' ') : '')).toLowerCase();
        if (hay.indexOf(q) >= 0) {
          searchAt = ln;
          centerOn((L.start + L.end) / 2, ln);
          show({ kind: 'lane', lane: ln });
          search.setCustomValidity('');
          return;
        }
      }
      search.setCustomValidity('no task matches');
      search.reportValidity();
    });

    // ------------------------------------------------------------ side panels
    mark('indexed');
    buildTree();
    buildDownload();
    buildFindings();
    buildFailures();
    buildTopTasks();
    show(null);

    function buildTree() {
      var host = document.getElementById('tree');
      var MAX = 3000, shown = 0;
      function node(pn) {
        var li = el('li');
        var pi = procIndex[pn.key];
        var head = el('span', 'link task', 'pid ' + pn.pid);
        head.setAttribute('data-task', pn.key);
        head.addEventListener('click', function () { if (pi !== undefined) { var ln = procs[pi].lanes[0]; centerOn((lanes[ln].start + lanes[ln].end) / 2, ln); show({ kind: 'lane', lane: ln }); } });
        li.appendChild(head);
        var cmd = pn.command || pn.inheritedCommand;
        li.appendChild(el('span', null, ' ' + (pn.birth ? '[' + pn.birth.kind + '] ' : '') + (cmd ? cmd.join(' ') : pn.comm || '')));
        if (pn.status) li.appendChild(el('span', 'note', ' \u2014 ' + statusText(pn.status)));
        var threads = pn.threads.filter(function (t) { return !t.leader || t.key !== pn.key; });
        var ul = el('ul');
        threads.forEach(function (t) {
          if (t.key === pn.key) return;
          var tl = el('li');
          var ts = el('span', 'link task', (t.leader ? 'leader ' : 'thread ') + t.tid);
          ts.setAttribute('data-task', t.key);
          ts.addEventListener('click', function () { var ln = laneOfKey[t.key]; if (ln !== undefined) { centerOn((lanes[ln].start + lanes[ln].end) / 2, ln); show({ kind: 'lane', lane: ln }); } });
          tl.appendChild(ts);
          if (t.status) tl.appendChild(el('span', 'note', ' \u2014 ' + statusText(t.status)));
          ul.appendChild(tl);
        });
        pn.children.forEach(function (ch) { if (shown++ < MAX) ul.appendChild(node(ch)); });
        if (ul.childNodes.length) li.appendChild(ul);
        return li;
      }
      var procIndex = {}, laneOfKey = {};
      procs.forEach(function (p, i3) { procIndex[p.key] = i3; });
      lanes.forEach(function (L, i4) { laneOfKey[L.key] = i4; });
      var root = el('ul');
      data.tree.roots.forEach(function (pn) { if (shown++ < MAX) root.appendChild(node(pn)); });
      host.appendChild(root);
      if (shown > MAX) host.appendChild(el('p', 'note', (shown - MAX) + ' more processes are on the timeline but not listed here.'));
    }
    // The embedded trace, unpacked only when asked for, saved through a Blob (works offline).
    function buildDownload() {
      var button = document.getElementById('trace-download');
      if (!document.getElementById('tl-trace').textContent.trim()) {
        button.disabled = true;
        button.title = 'too large to embed: write it with tasklens report LOG --perfetto trace.json';
        return;
      }
      button.addEventListener('click', function () {
        gunzip(b64('tl-trace')).then(function (buf) {
          var a = document.createElement('a');
          a.href = URL.createObjectURL(new Blob([buf], { type: 'application/json' }));
          a.download = 'trace.json';
          document.body.appendChild(a);
          a.click();
          setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
        }).catch(function (e) { fail(String(e && e.message || e)); });
      });
    }
    function statusText(s) {
      if (s.kind === 'exited') return s.code === undefined ? 'exited' : 'exit ' + s.code;
      if (s.kind === 'killed') return 'killed by ' + s.signal + (s.coreDumped ? ' (core dumped)' : '');
      return s.kind;
    }
    function buildFindings() {
      var host = document.getElementById('findings');
      var f = data.findings;
      host.setAttribute('data-available', String(f.available));
      if (!f.available) { host.appendChild(el('p', 'note', f.note || 'No findings.')); return; }
      if (f.note) host.appendChild(el('p', 'note', f.note));
      if (!f.items.length) { host.appendChild(el('p', 'note', 'No findings: nothing the doctor rules look for.')); return; }
      var ul = el('ul');
      f.items.forEach(function (it) {
        var li = el('li', 'finding');
        li.appendChild(el('span', 'sev-' + it.severity, it.severity + ' '));
        li.appendChild(el('strong', null, it.title));
        li.appendChild(el('div', null, it.message));
        if (it.fix) li.appendChild(el('div', 'note', 'Fix: ' + it.fix));
        var refs = el('div');
        it.lines.forEach(function (r, i5) { if (i5) refs.appendChild(document.createTextNode(', ')); if (r.role) refs.appendChild(document.createTextNode(r.role + ' ')); refs.appendChild(lineLink(r.line, r.file)); });
        li.appendChild(refs);
        ul.appendChild(li);
      });
      host.appendChild(ul);
    }
    function buildFailures() {
      var host = document.getElementById('failures');
      if (!data.failures.length) { host.appendChild(el('p', 'note', 'No failed calls that matter (benign failures, such as the loader probing paths, are not listed).')); return; }
      var table = el('table');
      var hr = el('tr'); ['call', 'errno', 'count', 'first'].forEach(function (h, i6) { hr.appendChild(el('th', i6 === 2 ? 'n' : null, h)); }); table.appendChild(hr);
      data.failures.slice(0, 30).forEach(function (f) {
        var tr = el('tr');
        tr.appendChild(el('td', null, f.syscall)); tr.appendChild(el('td', null, f.errno)); tr.appendChild(el('td', 'n', String(f.count)));
        var td = el('td'); td.appendChild(lineLink(f.firstLine, undefined)); tr.appendChild(td);
        table.appendChild(tr);
      });
      host.appendChild(table);
    }
    function buildTopTasks() {
      var host = document.getElementById('top-tasks');
      var order = lanes.map(function (L, i7) { return i7; }).sort(function (x, y) { return lanes[y].syscalls - lanes[x].syscalls; }).slice(0, 15);
      var table = el('table');
      order.forEach(function (ln) {
        var tr = el('tr');
        var td = el('td'); var s = el('span', 'link task', laneName(ln)); s.addEventListener('click', function () { show({ kind: 'lane', lane: ln }); }); td.appendChild(s);
        tr.appendChild(td); tr.appendChild(el('td', 'n', String(lanes[ln].syscalls)));
        table.appendChild(tr);
      });
      host.appendChild(table);
    }
    function showCounts(ln) {
      var host = document.getElementById('counts');
      host.textContent = '';
      host.appendChild(el('p', null, 'Calls of ' + laneName(ln) + ':'));
      var counts = {}, fails = {};
      for (var k = laneOff[ln]; k < laneOff[ln + 1]; k++) { var c = laneCalls[k], n = names[cols.name[c]]; counts[n] = (counts[n] || 0) + 1; if (cols.errno[c]) fails[n] = (fails[n] || 0) + 1; }
      var keys = Object.keys(counts).sort(function (x, y) { return counts[y] - counts[x]; });
      if (!keys.length) { host.appendChild(el('p', 'note', 'No calls in the log for this task.')); return; }
      var table = el('table');
      var hr = el('tr'); ['call', 'count', 'errors'].forEach(function (h, i8) { hr.appendChild(el('th', i8 ? 'n' : null, h)); }); table.appendChild(hr);
      keys.slice(0, 40).forEach(function (n) { var tr = el('tr'); tr.appendChild(el('td', null, n)); tr.appendChild(el('td', 'n', String(counts[n]))); tr.appendChild(el('td', 'n', String(fails[n] || ''))); table.appendChild(tr); });
      host.appendChild(table);
    }

    // ------------------------------------------------------------ test hooks (read-only)
    T.lanes = function () { return nLanes; };
    T.arrows = function (kind) {
      var r = canvas.getBoundingClientRect();
      var out = [];
      data.arrows.forEach(function (ar, idx) {
        if (kind && ar.kind !== kind) return;
        var p = arrowPoints(ar);
        out.push({ index: idx, kind: ar.kind, label: ar.label, line: ar.line, drawn: drawn.indexOf(idx) >= 0, x: r.left + p.x0 + (p.x1 - p.x0) * 0.6, y: r.top + p.y0 + (p.y1 - p.y0) * 0.6 });
      });
      return out;
    };
    // Brings a marker or an arrow into view, zoomed in around it.
    T.reveal = function (kind, index) {
      var t0, t1, l0, l1;
      if (kind === 'arrow') { var ar = data.arrows[index]; t0 = Math.min(ar.fromT, ar.toT); t1 = Math.max(ar.fromT, ar.toT); l0 = ar.from; l1 = ar.to; }
      else { var m = data.markers[index]; t0 = t1 = m.t; l0 = l1 = m.lane; }
      var w = Math.max((t1 - t0) * 4, unitUs ? 50 : 4);
      view.t0 = (t0 + t1) / 2 - w / 2; view.t1 = view.t0 + w;
      view.y = clampY((laneRow[l0] + laneRow[l1]) / 2 * ROW - (H - AXIS) / 2);
      draw();
    };
    T.view = function () { return { t0: view.t0, t1: view.t1, y: view.y, width: W, height: H }; };
    T.zoom = zoom;
    // Milliseconds of one repaint of the whole trace (the coarsest zoom), averaged over n paints.
    T.paintMs = function (n) {
      fit();
      var t0 = performance.now();
      for (var i = 0; i < n; i++) paint();
      return (performance.now() - t0) / n;
    };
    mark('panels');
    resize();
    requestAnimationFrame(function () {
      mark('drawn');
      T.state = 'ready';
      body.setAttribute('data-state', 'ready');
    });
  }
})();
`;
