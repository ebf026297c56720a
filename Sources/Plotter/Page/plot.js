// barrage plot page: a small canvas chart written for this page (no library, no network).
(function () {
  'use strict';
  var body = document.body;
  var errors = [];
  window.addEventListener('error', function (e) {
    errors.push(String(e.message || e));
    body.setAttribute('data-render-error', errors.join(' | '));
  });

  var data = JSON.parse(document.getElementById('plot-data').textContent);
  var series = data.series.map(function (s) {
    return { label: s.label, kind: s.kind, color: s.color, count: s.count, x: s.x, y: s.y, on: true };
  });
  var strip = data.strip;
  var state = { log: true, lines: false, dark: false, zoom: null, drag: null, hover: null };
  var M = { l: 76, r: 18, t: 14, b: 46 };

  function $(id) { return document.getElementById(id); }
  var plotCanvas = $('plot'), overlay = $('overlay'), tip = $('tip'), stripCanvas = $('strip');

  // ---- formatting ----------------------------------------------------------------------------------
  function trim(v) { return String(Number(v.toPrecision(4))); }
  function fmtMs(ms) {
    var a = Math.abs(ms);
    if (a === 0) return '0';
    if (a < 0.001) return trim(ms * 1e6) + 'ns';
    if (a < 1) return trim(ms * 1e3) + '\u00b5s';
    if (a < 1000) return trim(ms) + 'ms';
    return trim(ms / 1000) + 's';
  }
  function fmtSec(s) { return trim(s) + 's'; }

  // ---- theme ---------------------------------------------------------------------------------------
  function cssVar(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }
  function hexToRgb(hex) {
    var h = hex.replace('#', '');
    if (h.length === 3) h = h[0] + h[0] + h[1] + h[1] + h[2] + h[2];
    var n = parseInt(h, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  // vegeta's palettes include near-black colours; on the dark theme those are lifted so they stay visible.
  function seriesColor(s) {
    if (!state.dark) return s.color;
    var c = hexToRgb(s.color);
    var lum = (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) / 255;
    if (lum >= 0.35) return s.color;
    var t = 0.55;
    return 'rgb(' + c.map(function (v) { return Math.round(v + (255 - v) * t); }).join(',') + ')';
  }
  function setTheme(dark) {
    state.dark = dark;
    document.documentElement.classList.toggle('dark', dark);
    $('b-theme').textContent = dark ? 'Light theme' : 'Dark theme';
    buildLegend();
    drawAll();
  }

  // ---- ranges and scales ---------------------------------------------------------------------------
  function fullX() {
    var lo = Infinity, hi = -Infinity;
    series.forEach(function (s) {
      if (!s.on) return;
      for (var i = 0; i < s.x.length; i++) {
        var v = s.x[i];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    });
    if (!isFinite(lo)) {
      lo = 0;
      hi = strip.classes.length ? strip.classes[0].counts.length * strip.width : 1;
    }
    if (hi - lo < 1e-3) { lo -= 0.5; hi += 0.5; }
    return [lo, hi];
  }
  function xRange() { return state.zoom || fullX(); }
  function yRange(x0, x1) {
    var lo = Infinity, hi = -Infinity;
    series.forEach(function (s) {
      if (!s.on) return;
      for (var i = 0; i < s.x.length; i++) {
        var x = s.x[i], y = s.y[i];
        if (x < x0 || x > x1) continue;
        if (state.log && !(y > 0)) continue;
        if (y < lo) lo = y;
        if (y > hi) hi = y;
      }
    });
    if (!isFinite(lo)) return state.log ? [0.1, 10] : [0, 1];
    if (state.log) {
      var l0 = Math.log10(lo), l1 = Math.log10(hi);
      if (l1 - l0 < 0.5) { var mid = (l0 + l1) / 2; l0 = mid - 0.25; l1 = mid + 0.25; }
      var pad = (l1 - l0) * 0.06;
      return [Math.pow(10, l0 - pad), Math.pow(10, l1 + pad)];
    }
    if (hi <= 0) hi = 1;
    return [0, hi * 1.06];
  }
  function scales(w, h) {
    var xr = xRange(), yr = yRange(xr[0], xr[1]);
    var pw = Math.max(10, w - M.l - M.r), ph = Math.max(10, h - M.t - M.b);
    var sc = { x0: xr[0], x1: xr[1], y0: yr[0], y1: yr[1], pw: pw, ph: ph, w: w, h: h };
    sc.sx = function (x) { return M.l + (x - sc.x0) / (sc.x1 - sc.x0) * pw; };
    sc.ix = function (px) { return sc.x0 + (px - M.l) / pw * (sc.x1 - sc.x0); };
    if (state.log) {
      var l0 = Math.log10(yr[0]), l1 = Math.log10(yr[1]);
      sc.sy = function (y) { return M.t + ph - (Math.log10(Math.max(y, yr[0] / 10)) - l0) / (l1 - l0) * ph; };
    } else {
      sc.sy = function (y) { return M.t + ph - (y - yr[0]) / (yr[1] - yr[0]) * ph; };
    }
    return sc;
  }
  function niceTicks(lo, hi, count) {
    var span = hi - lo;
    if (!(span > 0)) return [lo];
    var raw = span / count, mag = Math.pow(10, Math.floor(Math.log10(raw))), norm = raw / mag;
    var step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
    var out = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
    return out;
  }
  function logTicks(lo, hi) {
    var out = [], k0 = Math.floor(Math.log10(lo)), k1 = Math.ceil(Math.log10(hi));
    var mult = k1 - k0 <= 3 ? [1, 2, 5] : [1];
    for (var k = k0; k <= k1; k++) {
      mult.forEach(function (m) {
        var v = m * Math.pow(10, k);
        if (v >= lo && v <= hi) out.push(Number(v.toPrecision(12)));
      });
    }
    if (out.length < 2) return niceTicks(lo, hi, 4);
    return out;
  }

  // ---- canvases ------------------------------------------------------------------------------------
  function prepare(canvas) {
    var dpr = window.devicePixelRatio || 1;
    var w = canvas.clientWidth || 800, h = canvas.clientHeight || 400;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    var ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return { ctx: ctx, w: w, h: h };
  }

  function drawXAxis(ctx, sc, withLabel) {
    var ticks = niceTicks(sc.x0, sc.x1, Math.max(2, Math.floor(sc.pw / 90)));
    ctx.strokeStyle = cssVar('--grid');
    ctx.fillStyle = cssVar('--muted');
    ctx.lineWidth = 1;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ticks.forEach(function (t) {
      var px = Math.round(sc.sx(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(px, M.t);
      ctx.lineTo(px, M.t + sc.ph);
      ctx.stroke();
      ctx.fillText(fmtSec(t), px, M.t + sc.ph + 6);
    });
    if (withLabel) {
      ctx.fillStyle = cssVar('--fg');
      ctx.fillText('Seconds elapsed', M.l + sc.pw / 2, M.t + sc.ph + 24);
    }
  }

  var pointsDrawn = 0;
  function drawPlot() {
    var c = prepare(plotCanvas), ctx = c.ctx;
    var sc = scales(c.w, c.h);
    state.sc = sc;
    ctx.fillStyle = cssVar('--bg');
    ctx.fillRect(0, 0, c.w, c.h);
    ctx.font = '12px system-ui, sans-serif';
    // y grid and labels
    var yt = state.log ? logTicks(sc.y0, sc.y1) : niceTicks(sc.y0, sc.y1, Math.max(2, Math.floor(sc.ph / 60)));
    ctx.strokeStyle = cssVar('--grid');
    ctx.fillStyle = cssVar('--muted');
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    yt.forEach(function (t) {
      var py = Math.round(sc.sy(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(M.l, py);
      ctx.lineTo(M.l + sc.pw, py);
      ctx.stroke();
      ctx.fillText(fmtMs(t), M.l - 8, py);
    });
    drawXAxis(ctx, sc, true);
    ctx.save();
    ctx.translate(16, M.t + sc.ph / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = cssVar('--fg');
    ctx.fillText('Latency' + (state.log ? ' (log scale)' : ''), 0, 0);
    ctx.restore();
    ctx.strokeStyle = cssVar('--axis');
    ctx.strokeRect(M.l + 0.5, M.t + 0.5, sc.pw, sc.ph);
    // series
    ctx.save();
    ctx.beginPath();
    ctx.rect(M.l, M.t, sc.pw, sc.ph);
    ctx.clip();
    pointsDrawn = 0;
    // OK series first, so the (usually sparse) ERROR points are drawn on top and stay visible.
    var order = series.filter(function (s) { return s.kind !== 'ERROR'; })
      .concat(series.filter(function (s) { return s.kind === 'ERROR'; }));
    order.forEach(function (s) {
      if (!s.on) return;
      var color = seriesColor(s);
      ctx.fillStyle = color;
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.25;
      if (state.lines) ctx.beginPath();
      var started = false;
      for (var i = 0; i < s.x.length; i++) {
        var x = s.x[i];
        if (x < sc.x0 || x > sc.x1) {
          // keep the line going to the first point outside the range on each side
          if (!state.lines || !((i + 1 < s.x.length && s.x[i + 1] >= sc.x0 && x < sc.x0) || (x > sc.x1 && i > 0 && s.x[i - 1] <= sc.x1))) continue;
        }
        var y = s.y[i];
        if (state.log && !(y > 0)) continue;
        var px = sc.sx(x), py = sc.sy(y);
        if (state.lines) {
          if (started) ctx.lineTo(px, py); else { ctx.moveTo(px, py); started = true; }
        } else {
          ctx.fillRect(px - 1.5, py - 1.5, 3, 3);
        }
        pointsDrawn++;
      }
      if (state.lines) ctx.stroke();
    });
    ctx.restore();
  }

  function drawStrip() {
    var c = prepare(stripCanvas), ctx = c.ctx;
    var xr = xRange();
    var ph = Math.max(10, c.h - 14 - 30), pw = Math.max(10, c.w - M.l - M.r);
    var sx = function (x) { return M.l + (x - xr[0]) / (xr[1] - xr[0]) * pw; };
    ctx.fillStyle = cssVar('--bg');
    ctx.fillRect(0, 0, c.w, c.h);
    ctx.font = '12px system-ui, sans-serif';
    var n = strip.classes.length ? strip.classes[0].counts.length : 0;
    var width = strip.width, top = 0;
    for (var b = 0; b < n; b++) {
      var t0 = b * width, t1 = t0 + width;
      if (t1 < xr[0] || t0 > xr[1]) continue;
      var sum = 0;
      strip.classes.forEach(function (k) { sum += k.counts[b]; });
      if (sum / width > top) top = sum / width;
    }
    if (top <= 0) top = 1;
    var yt = niceTicks(0, top, 3);
    var ymax = Math.max(top, yt[yt.length - 1]);
    var sy = function (rate) { return 14 + ph - rate / ymax * ph; };
    ctx.strokeStyle = cssVar('--grid');
    ctx.fillStyle = cssVar('--muted');
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    yt.forEach(function (t) {
      var py = Math.round(sy(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(M.l, py);
      ctx.lineTo(M.l + pw, py);
      ctx.stroke();
      ctx.fillText(trim(t) + '/s', M.l - 8, py);
    });
    ctx.save();
    ctx.beginPath();
    ctx.rect(M.l, 14, pw, ph);
    ctx.clip();
    for (b = 0; b < n; b++) {
      var a0 = b * width, a1 = a0 + width;
      if (a1 < xr[0] || a0 > xr[1]) continue;
      var x0 = sx(a0), x1 = sx(a1), base = 0;
      // Wide bars get a 1px gap; narrow ones overlap a little so no seams show between them.
      var barW = x1 - x0 > 6 ? x1 - x0 - 1 : Math.max(1, x1 - x0 + 0.6);
      for (var k = 0; k < strip.classes.length; k++) {
        var cls = strip.classes[k], rate = cls.counts[b] / width;
        if (rate <= 0) continue;
        ctx.fillStyle = cls.color;
        ctx.fillRect(x0, sy(base + rate), barW, sy(base) - sy(base + rate));
        base += rate;
      }
    }
    ctx.restore();
    ctx.strokeStyle = cssVar('--axis');
    ctx.strokeRect(M.l + 0.5, 14.5, pw, ph);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillStyle = cssVar('--muted');
    niceTicks(xr[0], xr[1], Math.max(2, Math.floor(pw / 90))).forEach(function (t) {
      ctx.fillText(fmtSec(t), sx(t), 14 + ph + 6);
    });
  }

  function drawOverlay() {
    var c = prepare(overlay), ctx = c.ctx, sc = state.sc;
    ctx.clearRect(0, 0, c.w, c.h);
    if (!sc) return;
    if (state.drag && state.drag.moved) {
      var a = Math.max(M.l, Math.min(state.drag.x0, state.drag.x1));
      var b = Math.min(M.l + sc.pw, Math.max(state.drag.x0, state.drag.x1));
      ctx.fillStyle = cssVar('--select');
      ctx.fillRect(a, M.t, b - a, sc.ph);
      ctx.strokeStyle = cssVar('--accent');
      ctx.strokeRect(a + 0.5, M.t + 0.5, b - a, sc.ph);
    }
    var h = state.hover;
    if (h) {
      ctx.strokeStyle = cssVar('--axis');
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      ctx.moveTo(Math.round(h.px) + 0.5, M.t);
      ctx.lineTo(Math.round(h.px) + 0.5, M.t + sc.ph);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.lineWidth = 2;
      ctx.strokeStyle = seriesColor(h.s);
      ctx.beginPath();
      ctx.arc(h.px, h.py, 5, 0, Math.PI * 2);
      ctx.stroke();
      ctx.lineWidth = 1;
    }
  }

  function drawAll() {
    drawPlot();
    drawStrip();
    drawOverlay();
  }

  // ---- interaction ---------------------------------------------------------------------------------
  function localPos(e) {
    var r = overlay.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }
  function inPlot(p) {
    var sc = state.sc;
    return sc && p.x >= M.l && p.x <= M.l + sc.pw && p.y >= M.t && p.y <= M.t + sc.ph;
  }
  function nearest(p) {
    var sc = state.sc, best = null, bestD = 24 * 24;
    series.forEach(function (s) {
      if (!s.on) return;
      for (var i = 0; i < s.x.length; i++) {
        var x = s.x[i];
        if (x < sc.x0 || x > sc.x1) continue;
        var y = s.y[i];
        if (state.log && !(y > 0)) continue;
        var px = sc.sx(x), py = sc.sy(y), dx = px - p.x, dy = py - p.y, d = dx * dx + dy * dy;
        if (d < bestD) { bestD = d; best = { s: s, i: i, px: px, py: py }; }
      }
    });
    return best;
  }
  function showTip(h) {
    if (!h) { tip.hidden = true; return; }
    tip.textContent = '';
    var head = document.createElement('b');
    head.textContent = h.s.label;
    head.style.color = seriesColor(h.s);
    tip.appendChild(head);
    tip.appendChild(document.createElement('br'));
    tip.appendChild(document.createTextNode('time ' + fmtSec(h.s.x[h.i]) + ' \u00b7 latency ' + fmtMs(h.s.y[h.i])));
    tip.hidden = false;
    var box = $('chart').getBoundingClientRect();
    var left = h.px + 14, top = h.py + 14;
    if (left + tip.offsetWidth > box.width) left = h.px - tip.offsetWidth - 14;
    if (top + tip.offsetHeight > box.height) top = h.py - tip.offsetHeight - 14;
    tip.style.left = Math.max(0, left) + 'px';
    tip.style.top = Math.max(0, top) + 'px';
  }

  overlay.addEventListener('mousedown', function (e) {
    if (e.button !== 0) return;
    var p = localPos(e);
    if (!inPlot(p)) return;
    state.drag = { x0: p.x, x1: p.x, moved: false };
    e.preventDefault();
  });
  // Pointer moves are handled at most once per frame: with -threshold=0 a series can hold millions of points.
  var pendingMove = null;
  window.addEventListener('mousemove', function (e) {
    if (pendingMove === null) window.requestAnimationFrame(function () { var ev = pendingMove; pendingMove = null; onMove(ev); });
    pendingMove = e;
  });
  function onMove(e) {
    var p = localPos(e);
    if (state.drag) {
      state.drag.x1 = p.x;
      if (Math.abs(state.drag.x1 - state.drag.x0) > 3) state.drag.moved = true;
      state.hover = null;
      showTip(null);
      drawOverlay();
      return;
    }
    if (e.target !== overlay) return;
    state.hover = inPlot(p) ? nearest(p) : null;
    showTip(state.hover);
    drawOverlay();
  }
  window.addEventListener('mouseup', function () {
    var d = state.drag, sc = state.sc;
    state.drag = null;
    if (d && d.moved && sc) {
      var a = sc.ix(Math.max(M.l, Math.min(d.x0, d.x1))), b = sc.ix(Math.min(M.l + sc.pw, Math.max(d.x0, d.x1)));
      if (b - a > 1e-6) state.zoom = [a, b];
      drawAll();
    } else {
      drawOverlay();
    }
  });
  overlay.addEventListener('mouseleave', function () {
    if (state.drag) return;
    state.hover = null;
    showTip(null);
    drawOverlay();
  });
  overlay.addEventListener('dblclick', function () { resetZoom(); });

  function resetZoom() {
    state.zoom = null;
    drawAll();
  }
  $('b-reset').addEventListener('click', resetZoom);
  $('b-scale').addEventListener('click', function () {
    state.log = !state.log;
    this.setAttribute('aria-pressed', String(state.log));
    drawAll();
  });
  $('b-lines').addEventListener('click', function () {
    state.lines = !state.lines;
    this.setAttribute('aria-pressed', String(state.lines));
    drawAll();
  });
  $('b-theme').addEventListener('click', function () { setTheme(!state.dark); });
  $('b-png').addEventListener('click', exportPNG);
  window.addEventListener('resize', drawAll);

  function buildLegend() {
    var box = $('legend');
    box.textContent = '';
    series.forEach(function (s) {
      var btn = document.createElement('button');
      btn.type = 'button';
      btn.className = s.on ? '' : 'off';
      btn.title = 'Show or hide this series';
      var sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = seriesColor(s);
      var name = document.createElement('span');
      name.textContent = s.label;
      var count = document.createElement('span');
      count.className = 'count';
      count.textContent = s.count + ' results, ' + s.x.length + ' points';
      btn.appendChild(sw);
      btn.appendChild(name);
      btn.appendChild(count);
      btn.addEventListener('click', function () {
        s.on = !s.on;
        btn.className = s.on ? '' : 'off';
        state.hover = null;
        showTip(null);
        drawAll();
      });
      box.appendChild(btn);
    });
    if (!series.length) {
      var empty = document.createElement('span');
      empty.className = 'item';
      empty.textContent = 'No results to plot.';
      box.appendChild(empty);
    }
    var sl = $('strip-legend');
    sl.textContent = '';
    strip.classes.forEach(function (k) {
      var item = document.createElement('span');
      item.className = 'item';
      var sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = k.color;
      item.appendChild(sw);
      item.appendChild(document.createTextNode(k.name));
      sl.appendChild(item);
    });
  }

  function pngDataURL() {
    var dpr = window.devicePixelRatio || 1;
    var titleH = 40, legendH = 28;
    var w = plotCanvas.width, h1 = plotCanvas.height, h2 = stripCanvas.height;
    var out = document.createElement('canvas');
    out.width = w;
    out.height = Math.round((titleH + legendH) * dpr) + h1 + h2;
    var ctx = out.getContext('2d');
    ctx.fillStyle = cssVar('--bg');
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.scale(dpr, dpr);
    ctx.fillStyle = cssVar('--fg');
    ctx.font = '600 18px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    ctx.fillText(data.title, M.l, titleH / 2);
    ctx.font = '12px system-ui, sans-serif';
    var x = M.l;
    series.forEach(function (s) {
      if (!s.on) return;
      ctx.fillStyle = seriesColor(s);
      ctx.fillRect(x, titleH + legendH / 2 - 6, 12, 12);
      ctx.fillStyle = cssVar('--fg');
      ctx.fillText(s.label, x + 18, titleH + legendH / 2);
      x += 18 + ctx.measureText(s.label).width + 20;
    });
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(plotCanvas, 0, Math.round((titleH + legendH) * dpr));
    ctx.drawImage(stripCanvas, 0, Math.round((titleH + legendH) * dpr) + h1);
    return out.toDataURL('image/png');
  }
  function exportPNG() {
    var a = document.createElement('a');
    a.href = pngDataURL();
    a.download = (data.title || 'plot').replace(/[^A-Za-z0-9._-]+/g, '_') + '.png';
    document.body.appendChild(a);
    a.click();
    a.remove();
    return a.href;
  }

  // ---- start ---------------------------------------------------------------------------------------
  // The hash may carry comma-separated flags: dark or light (theme), selftest (see below).
  var flags = (location.hash || '').replace('#', '').split(',');
  var prefersDark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  setTheme(flags.indexOf('dark') >= 0 || (flags.indexOf('light') < 0 && !!prefersDark));
  body.setAttribute('data-points-drawn', String(pointsDrawn));
  if (flags.indexOf('selftest') >= 0) selfTest();
  if (flags.indexOf('pointertest') >= 0) pointerTest();
  window.barragePlot = { exportPNG: exportPNG, pngDataURL: pngDataURL, resetZoom: resetZoom, state: state };
  body.setAttribute('data-rendered', 'ok');

  // Drives the chart with synthetic pointer events (a drag to zoom, then a hover) and records what happened in
  // data-pointertest; used by the test suite through the #pointertest hash (needs frames to run).
  function pointerTest() {
    var r = overlay.getBoundingClientRect(), sc = state.sc, y = r.top + M.t + sc.ph / 2;
    var xa = r.left + M.l + sc.pw * 0.2, xb = r.left + M.l + sc.pw * 0.6;
    function fire(target, type, x, yy) {
      target.dispatchEvent(new MouseEvent(type, { clientX: x, clientY: yy, button: 0, bubbles: true }));
    }
    fire(overlay, 'mousedown', xa, y);
    fire(overlay, 'mousemove', xb, y);
    window.requestAnimationFrame(function () {
      window.requestAnimationFrame(function () {
        fire(overlay, 'mouseup', xb, y);
        var z = state.zoom, result = [z && z[1] > z[0] ? 'zoomed' : 'not-zoomed'];
        var target = null;
        series.forEach(function (s) {
          for (var i = 0; i < s.x.length && !target; i++) {
            if (s.on && s.x[i] >= state.sc.x0 && s.x[i] <= state.sc.x1 && (!state.log || s.y[i] > 0)) {
              target = { x: r.left + state.sc.sx(s.x[i]), y: r.top + state.sc.sy(s.y[i]) };
            }
          }
        });
        if (target) fire(overlay, 'mousemove', target.x + 2, target.y + 1);
        window.requestAnimationFrame(function () {
          result.push(tip.hidden ? 'no-tip' : 'tip:' + tip.textContent);
          body.setAttribute('data-pointertest', result.join(';'));
        });
      });
    });
  }

  // Exercises every control once without a pointer (used by the test suite through the #selftest hash), then
  // puts the page back as it was.
  function selfTest() {
    var sc = state.sc, steps = [];
    var full = xRange();
    state.zoom = [full[0] + (full[1] - full[0]) / 4, full[0] + (full[1] - full[0]) * 3 / 4];
    drawAll();
    steps.push('zoom');
    var p = { x: M.l + state.sc.pw / 2, y: M.t + state.sc.ph / 2 };
    var best = null;
    for (var r = 24; r <= 4096 && !best; r *= 4) {
      series.forEach(function (s) {
        if (!s.on || best) return;
        for (var i = 0; i < s.x.length; i++) {
          if (s.x[i] >= state.zoom[0] && s.x[i] <= state.zoom[1] && (!state.log || s.y[i] > 0)) {
            best = { s: s, i: i, px: state.sc.sx(s.x[i]), py: state.sc.sy(s.y[i]) };
            break;
          }
        }
      });
    }
    state.hover = best || nearest(p);
    showTip(state.hover);
    drawOverlay();
    if (state.hover) steps.push('hover:' + tip.textContent);
    state.hover = null;
    showTip(null);
    $('b-scale').click();
    $('b-lines').click();
    steps.push('linear+lines');
    $('b-scale').click();
    $('b-lines').click();
    var first = $('legend').querySelector('button');
    if (first) { first.click(); first.click(); steps.push('legend'); }
    $('b-theme').click();
    $('b-theme').click();
    steps.push('theme');
    if (flags.indexOf('keep') >= 0) {
      // Leave the page zoomed with the read-out showing, for a screenshot of those states.
      state.zoom = [full[0] + (full[1] - full[0]) * 0.35, full[0] + (full[1] - full[0]) * 0.55];
      state.lines = flags.indexOf('lines') >= 0;
      $('b-lines').setAttribute('aria-pressed', String(state.lines));
      drawAll();
      var mid = null;
      series.forEach(function (s) {
        for (var i = 0; i < s.x.length && !mid; i++) {
          if (s.x[i] >= (state.zoom[0] + state.zoom[1]) / 2) mid = { s: s, i: i, px: state.sc.sx(s.x[i]), py: state.sc.sy(s.y[i]) };
        }
      });
      state.hover = mid;
      showTip(mid);
      drawOverlay();
    } else {
      resetZoom();
    }
    body.setAttribute('data-png-bytes', String(pngDataURL().length));
    body.setAttribute('data-selftest', steps.join(';'));
    void sc;
  }
})();
