// barrage plot page: a small canvas chart written for this page (no library, no network).
(function () {
  'use strict';
  var C = barrageChart;
  var body = document.body;
  C.watchErrors();

  var data = JSON.parse(document.getElementById('plot-data').textContent);
  var series = data.series.map(function (s) {
    return { label: s.label, kind: s.kind, color: s.color, count: s.count, x: s.x, y: s.y, on: true };
  });
  var strip = data.strip;
  var state = { log: true, lines: false, dark: false, zoom: null, drag: null, hover: null };
  var M = { l: 76, r: 18, t: 14, b: 46 };

  function $(id) { return document.getElementById(id); }
  var plotCanvas = $('plot'), overlay = $('overlay'), tip = $('tip'), stripCanvas = $('strip');

  var fmtMs = C.fmtMs, fmtSec = C.fmtSec, cssVar = C.cssVar, prepare = C.prepare;
  var xAxis = { ticks: C.niceTicks, format: fmtSec, label: 'Seconds elapsed' };
  var stripAxis = { ticks: C.niceTicks, format: fmtSec };

  // ---- theme ---------------------------------------------------------------------------------------
  function seriesColor(s) { return C.liftColor(s.color, state.dark); }
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
  function scales(w, h) {
    var xr = xRange();
    return C.scales(M, xr, C.latencyRange(series, xr[0], xr[1], state.log), state.log, w, h);
  }

  var pointsDrawn = 0;
  function drawPlot() {
    var c = prepare(plotCanvas), ctx = c.ctx;
    var sc = scales(c.w, c.h);
    state.sc = sc;
    C.drawLatencyFrame(ctx, sc, M, state.log, xAxis);
    pointsDrawn = C.drawSeries(ctx, sc, M, series, { log: state.log, lines: state.lines, color: seriesColor });
  }

  function drawStrip() {
    C.drawRateStrip(stripCanvas, M, xRange(), strip, stripAxis);
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
  function nearest(p) { return C.nearestPoint(series, state.sc, p, state.log); }
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
    C.placeTip(tip, $('chart').getBoundingClientRect(), h.px, h.py);
  }

  overlay.addEventListener('mousedown', function (e) {
    if (e.button !== 0) return;
    var p = localPos(e);
    if (!inPlot(p)) return;
    state.drag = { x0: p.x, x1: p.x, moved: false };
    e.preventDefault();
  });
  // Pointer moves are handled at most once per frame: with -threshold=0 a series can hold millions of points.
  C.onMouseMove(onMove);
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
  C.toggleButton($('b-scale'), state, 'log', drawAll);
  C.toggleButton($('b-lines'), state, 'lines', drawAll);
  $('b-theme').addEventListener('click', function () { setTheme(!state.dark); });
  $('b-png').addEventListener('click', exportPNG);
  window.addEventListener('resize', drawAll);

  function buildLegend() {
    C.seriesLegend($('legend'), series, seriesColor, function () {
      state.hover = null;
      showTip(null);
      drawAll();
    });
    C.classLegend($('strip-legend'), strip.classes);
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
  // data-pointertest; used by the test suite through the #pointertest hash.
  function pointerTest() {
    // Timers, not animation frames: headless Chromium's virtual time runs timers reliably, frames not always.
    function later(f) { window.setTimeout(f, 80); }
    var r = overlay.getBoundingClientRect(), sc = state.sc, y = r.top + M.t + sc.ph / 2;
    var xa = r.left + M.l + sc.pw * 0.2, xb = r.left + M.l + sc.pw * 0.6;
    function fire(target, type, x, yy) {
      target.dispatchEvent(new MouseEvent(type, { clientX: x, clientY: yy, button: 0, bubbles: true }));
    }
    fire(overlay, 'mousedown', xa, y);
    fire(overlay, 'mousemove', xb, y);
    later(function () {
      later(function () {
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
        later(function () {
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
