// barrage chaos report: the experiment's activities, the attack's latencies and its request rates on one
// wall-clock axis. Drawing comes from the shared chart kit (barrageChart); no library, no network.
(function () {
  'use strict';
  var C = barrageChart;
  var body = document.body;
  C.watchErrors();

  function $(id) { return document.getElementById(id); }
  var data = JSON.parse($('report-data').textContent);
  var acts = data.activities.map(function (a, i) { a.index = i; return a; });
  var lanes = acts.filter(function (a) { return typeof a.start === 'number'; });
  var series = data.series.map(function (s) {
    return { label: s.label, kind: s.kind, color: s.color, count: s.count, x: s.x, y: s.y, on: true };
  });
  // The strip's buckets are fine (up to 1200 over the run); bars are drawn from merged buckets, so that each holds
  // several requests on average and is a few pixels wide.
  function rebin(raw, factor) {
    if (factor <= 1) return raw;
    return {
      start: raw.start, width: raw.width * factor,
      classes: raw.classes.map(function (k) {
        var counts = [];
        for (var i = 0; i < k.counts.length; i += factor) {
          var sum = 0;
          for (var j = i; j < i + factor && j < k.counts.length; j++) sum += k.counts[j];
          counts.push(sum);
        }
        return { name: k.name, color: k.color, counts: counts };
      })
    };
  }
  function stripFor(xr, pw) {
    var n = data.strip.classes.length ? data.strip.classes[0].counts.length : 0, total = 0, inside = 0;
    for (var b = 0; b < n; b++) {
      var t = data.strip.start + b * data.strip.width;
      if (t + data.strip.width < xr[0] || t > xr[1]) continue;
      inside++;
      data.strip.classes.forEach(function (k) { total += k.counts[b]; });
    }
    var perBucket = inside ? total / inside : 0, factor = 1;
    var bucketPx = data.strip.width / (xr[1] - xr[0]) * pw;
    while ((perBucket * factor < 3 || bucketPx * factor < 6) && factor < 4096 && perBucket > 0) factor *= 2;
    return rebin(data.strip, factor);
  }
  var strip = data.strip;
  var state = { log: true, dark: false, zoom: null, drag: null, hover: null, selected: -1 };
  var M = { l: 200, r: 18, t: 10, b: 46 };
  var TM = { l: 200, r: 18, t: 6, b: 26 };
  var LANE = 20;
  var timelineCanvas = $('timeline'), latencyCanvas = $('latency'), stripCanvas = $('strip'), tip = $('tip');
  var canvases = [timelineCanvas, latencyCanvas, stripCanvas];
  var STATUS = { succeeded: '#3BA55C', failed: '#D7263D', tolerance: '#F0A202', none: '#8E8E93' };
  var PHASE = { before: 'hypothesis before', during: 'hypothesis during', after: 'hypothesis after', method: 'method', rollback: 'rollback' };

  // ---- time axis -----------------------------------------------------------------------------------
  function actEnd(a) { return typeof a.end === 'number' ? a.end : a.start; }
  function fullX() {
    var lo = Infinity, hi = -Infinity;
    function take(v) { if (v < lo) lo = v; if (v > hi) hi = v; }
    lanes.forEach(function (a) { take(a.start - a.pauseBefore); take(actEnd(a) + a.pauseAfter); });
    series.forEach(function (s) { if (s.x.length) { take(s.x[0]); take(s.x[s.x.length - 1]); } });
    if (typeof data.start === 'number') take(data.start);
    if (typeof data.end === 'number') take(data.end);
    if (!isFinite(lo)) { lo = 0; hi = 1; }
    if (hi - lo < 1e-3) { lo -= 0.5; hi += 0.5; }
    var pad = (hi - lo) * 0.015;
    return [lo - pad, hi + pad];
  }
  function xRange() { return state.zoom || fullX(); }
  // Wall-clock ticks; below a second apart they carry just the decimals they need, and are spaced wider.
  function axis(label) {
    var xr = xRange(), fine = xr[1] - xr[0] < 8;
    return {
      ticks: function (lo, hi, n) { return C.clockTicks(lo, hi, fine ? Math.max(2, Math.floor(n * 0.7)) : n); },
      format: function (t) {
        var text = C.fmtClock(t, fine);
        return fine ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
      },
      label: label
    };
  }
  function seriesColor(s) { return C.liftColor(s.color, state.dark); }
  function barColor(a) {
    if (a.status === 'failed') return STATUS.failed;
    if (a.tolerance === false) return STATUS.tolerance;
    return a.status === 'succeeded' ? STATUS.succeeded : STATUS.none;
  }
  // Method actions and rollbacks: the moments something was done to the system.
  var disruptions = lanes.filter(function (a) {
    return (a.phase === 'method' && a.type === 'action' && !a.background) || a.phase === 'rollback';
  });

  // Shaded columns for the disruptions, with a dashed line where each starts; labels when `labels`.
  function drawBands(ctx, sx, top, height, labels) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(M.l, top, sx.pw, height);
    ctx.clip();
    disruptions.forEach(function (a) {
      var x0 = sx.f(a.start), x1 = Math.max(x0 + 2, sx.f(actEnd(a)));
      ctx.fillStyle = C.cssVar(a.phase === 'rollback' ? '--band-rb' : '--band');
      ctx.fillRect(x0, top, x1 - x0, height);
      ctx.strokeStyle = a.phase === 'rollback' ? C.cssVar('--accent') : STATUS.failed;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(Math.round(x0) + 0.5, top);
      ctx.lineTo(Math.round(x0) + 0.5, top + height);
      ctx.stroke();
      ctx.setLineDash([]);
      if (labels) {
        ctx.fillStyle = ctx.strokeStyle;
        ctx.font = '11px system-ui, sans-serif';
        ctx.textAlign = 'left';
        ctx.textBaseline = 'top';
        ctx.fillText(a.name, x0 + 4, top + 3);
      }
    });
    ctx.restore();
  }

  // ---- timeline ------------------------------------------------------------------------------------
  var barsDrawn = 0, barBoxes = [];
  function drawTimeline() {
    $('timeline-box').style.height = (TM.t + Math.max(1, lanes.length) * LANE + TM.b) + 'px';
    var c = C.prepare(timelineCanvas), ctx = c.ctx;
    var sc = C.scales(TM, xRange(), [0, 1], false, c.w, c.h);
    state.tsc = sc;
    ctx.fillStyle = C.cssVar('--bg');
    ctx.fillRect(0, 0, c.w, c.h);
    ctx.font = '12px system-ui, sans-serif';
    C.drawXAxis(ctx, sc, TM, axis(''));
    drawBands(ctx, { f: sc.sx, pw: sc.pw }, TM.t, sc.ph, false);
    barsDrawn = 0;
    barBoxes = [];
    var lastPhase = null;
    lanes.forEach(function (a, row) {
      var y = TM.t + row * LANE;
      if (a.phase !== lastPhase) {
        if (row > 0) {
          ctx.strokeStyle = C.cssVar('--border');
          ctx.beginPath();
          ctx.moveTo(4, y + 0.5);
          ctx.lineTo(c.w - TM.r, y + 0.5);
          ctx.stroke();
        }
        lastPhase = a.phase;
      }
      // label: phase tag, then the name, cut to fit
      ctx.textAlign = 'left';
      ctx.textBaseline = 'middle';
      ctx.fillStyle = C.cssVar('--muted');
      ctx.font = '10.5px system-ui, sans-serif';
      var tag = a.phase === 'method' || a.phase === 'rollback' ? a.phase : 'hyp. ' + a.phase;
      ctx.fillText(tag, 6, y + LANE / 2);
      ctx.fillStyle = a.index === state.selected ? C.cssVar('--accent') : C.cssVar('--fg');
      ctx.font = (a.index === state.selected ? '600 ' : '') + '12px system-ui, sans-serif';
      var name = a.name.slice(0, 80), room = TM.l - 84;
      while (name.length > 3 && ctx.measureText(name).width > room) name = name.slice(0, -2);
      if (name !== a.name) name += '\u2026';
      ctx.fillText(name, 76, y + LANE / 2);
      ctx.save();
      ctx.beginPath();
      ctx.rect(TM.l, TM.t, sc.pw, sc.ph);
      ctx.clip();
      var x0 = sc.sx(a.start), x1 = Math.max(x0 + 3, sc.sx(actEnd(a)));
      var mid = y + LANE / 2, top = y + 4, h = LANE - 8;
      // pauses: thin lines with end ticks
      ctx.strokeStyle = C.cssVar('--axis');
      ctx.lineWidth = 1;
      [[a.pauseBefore > 0, sc.sx(a.start - a.pauseBefore), x0], [a.pauseAfter > 0, x1, sc.sx(actEnd(a) + a.pauseAfter)]]
        .forEach(function (p) {
          if (!p[0]) return;
          ctx.beginPath();
          ctx.moveTo(p[1], mid + 0.5);
          ctx.lineTo(p[2], mid + 0.5);
          ctx.moveTo(p[1] + 0.5, mid - 3);
          ctx.lineTo(p[1] + 0.5, mid + 4);
          ctx.moveTo(p[2] - 0.5, mid - 3);
          ctx.lineTo(p[2] - 0.5, mid + 4);
          ctx.stroke();
        });
      var color = barColor(a);
      ctx.globalAlpha = a.background ? 0.45 : 0.9;
      ctx.fillStyle = color;
      ctx.fillRect(x0, top, x1 - x0, h);
      ctx.globalAlpha = 1;
      if (a.type === 'probe') {
        // probes are hatched
        ctx.save();
        ctx.beginPath();
        ctx.rect(x0, top, x1 - x0, h);
        ctx.clip();
        ctx.strokeStyle = C.cssVar('--bg');
        ctx.lineWidth = 1.5;
        // only across the visible part: zoomed in, a bar can be millions of pixels wide
        var hEnd = Math.min(x1, TM.l + sc.pw);
        for (var hx = Math.max(x0, TM.l) - h; hx < hEnd; hx += 6) {
          ctx.beginPath();
          ctx.moveTo(hx, top + h);
          ctx.lineTo(hx + h, top);
          ctx.stroke();
        }
        ctx.restore();
      }
      if (a.background || a.index === state.selected) {
        ctx.strokeStyle = a.index === state.selected ? C.cssVar('--fg') : color;
        ctx.lineWidth = a.index === state.selected ? 2 : 1.25;
        if (a.background) ctx.setLineDash([4, 2]);
        ctx.strokeRect(x0 + 0.5, top + 0.5, x1 - x0 - 1, h - 1);
        ctx.setLineDash([]);
        ctx.lineWidth = 1;
      }
      ctx.restore();
      if (x1 >= TM.l && x0 <= TM.l + sc.pw) barsDrawn++;
      barBoxes.push({ a: a, x0: x0 - 2, x1: x1 + 2, y0: y, y1: y + LANE });
    });
    if (!lanes.length) {
      ctx.fillStyle = C.cssVar('--muted');
      ctx.textAlign = 'left';
      ctx.fillText('The journal has no timed activities.', TM.l + 8, TM.t + LANE / 2);
    }
    ctx.strokeStyle = C.cssVar('--axis');
    ctx.strokeRect(TM.l + 0.5, TM.t + 0.5, sc.pw, sc.ph);
  }

  // ---- latency and rate charts ---------------------------------------------------------------------
  var pointsDrawn = 0;
  function drawLatency() {
    var c = C.prepare(latencyCanvas), ctx = c.ctx, xr = xRange();
    var sc = C.scales(M, xr, C.latencyRange(series, xr[0], xr[1], state.log), state.log, c.w, c.h);
    state.lsc = sc;
    C.drawLatencyFrame(ctx, sc, M, state.log, axis('Time (UTC)'));
    drawBands(ctx, { f: sc.sx, pw: sc.pw }, M.t, sc.ph, true);
    pointsDrawn = C.drawSeries(ctx, sc, M, series, { log: state.log, lines: false, color: seriesColor });
    if (!series.length) {
      ctx.fillStyle = C.cssVar('--muted');
      ctx.textAlign = 'center';
      ctx.fillText('No attack results: give result files, or let the journal name them (-output).', M.l + sc.pw / 2, M.t + sc.ph / 2);
    }
    var h = state.hover;
    if (h && h.point) {
      ctx.lineWidth = 2;
      ctx.strokeStyle = seriesColor(h.point.s);
      ctx.beginPath();
      ctx.arc(h.point.px, h.point.py, 5, 0, Math.PI * 2);
      ctx.stroke();
      ctx.lineWidth = 1;
    }
  }
  function drawStrip() {
    var xr = xRange();
    strip = stripFor(xr, Math.max(10, stripCanvas.clientWidth - M.l - M.r));
    var s = C.drawRateStrip(stripCanvas, M, xr, strip, axis(''));
    state.ssc = s;
    drawBands(s.ctx, { f: s.sx, pw: s.pw }, s.top, s.ph, false);
  }
  function drawSelection() {
    var d = state.drag;
    if (!d || !d.moved) return;
    canvases.forEach(function (cv) {
      var ctx = cv.getContext('2d'), h = cv.clientHeight;
      var a = Math.max(M.l, Math.min(d.x0, d.x1)), b = Math.min(cv.clientWidth - M.r, Math.max(d.x0, d.x1));
      ctx.fillStyle = C.cssVar('--select');
      ctx.fillRect(a, 0, b - a, h);
    });
  }
  function drawAll() {
    drawTimeline();
    drawLatency();
    drawStrip();
    drawSelection();
    body.setAttribute('data-bars-drawn', String(barsDrawn));
    body.setAttribute('data-points-drawn', String(pointsDrawn));
  }

  // ---- read-outs -----------------------------------------------------------------------------------
  function clockOf(t) { return C.fmtClock(t, true); }
  function lines(el, rows) {
    rows.forEach(function (r) {
      if (!r) return;
      var line = document.createElement('div');
      if (r.pre) line.className = 'out';
      line.textContent = r.text;
      el.appendChild(line);
    });
  }
  function activityRows(a, long) {
    var out = long ? a.output : a.output.slice(0, 280);
    return [
      { text: PHASE[a.phase] + ' \u00b7 ' + a.type + (a.background ? ' \u00b7 background' : '') },
      { text: 'status: ' + (a.status || 'none') + (a.tolerance === true ? ' \u00b7 tolerance met' : a.tolerance === false ? ' \u00b7 tolerance NOT met' : '') },
      { text: clockOf(a.start) + ' \u2192 ' + clockOf(actEnd(a)) + ' (' + C.fmtSec(Math.max(0, actEnd(a) - a.start)) + ')' },
      (a.pauseBefore || a.pauseAfter) ? { text: 'pauses: ' + a.pauseBefore + 's before, ' + a.pauseAfter + 's after' } : null,
      { text: a.provider },
      a.error ? { text: a.error, pre: true } : null,
      out ? { text: out, pre: true } : null
    ];
  }
  function showTip(h, box) {
    if (!h) { tip.hidden = true; return; }
    tip.textContent = '';
    var head = document.createElement('b');
    if (h.act) {
      head.textContent = h.act.name;
      tip.appendChild(head);
      lines(tip, activityRows(h.act, false));
    } else if (h.point) {
      head.textContent = h.point.s.label;
      head.style.color = seriesColor(h.point.s);
      tip.appendChild(head);
      lines(tip, [{ text: clockOf(h.point.s.x[h.point.i]) + ' \u00b7 latency ' + C.fmtMs(h.point.s.y[h.point.i]) }]);
    } else if (h.bucket) {
      head.textContent = clockOf(h.bucket.t0) + ' \u2013 ' + clockOf(h.bucket.t0 + strip.width);
      tip.appendChild(head);
      var ok = h.bucket.ok / strip.width, err = h.bucket.err / strip.width, all = ok + err;
      lines(tip, [{ text: C.trim(ok) + ' OK/s \u00b7 ' + C.trim(err) + ' errors/s' + (all > 0 ? ' \u00b7 ' + C.trim(100 * err / all) + '% errors' : '') }]);
    }
    tip.hidden = false;
    var stack = $('stack').getBoundingClientRect();
    C.placeTip(tip, stack, h.cx - stack.left, h.cy - stack.top);
    void box;
  }
  function select(a) {
    state.selected = a ? a.index : -1;
    var el = $('details');
    el.textContent = '';
    Array.prototype.forEach.call(document.querySelectorAll('table.activities tr[data-index]'), function (tr) {
      tr.className = a && tr.getAttribute('data-index') === String(a.index) ? 'selected' : '';
    });
    if (!a) return;
    var head = document.createElement('b');
    head.textContent = a.name;
    el.appendChild(head);
    lines(el, activityRows(a, true));
  }

  // ---- interaction ---------------------------------------------------------------------------------
  function pos(e, cv) {
    var r = cv.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }
  function hit(cv, p, e) {
    var h = null;
    if (cv === timelineCanvas) {
      barBoxes.forEach(function (b) { if (p.x >= b.x0 && p.x <= b.x1 && p.y >= b.y0 && p.y < b.y1) h = { act: b.a }; });
    } else if (cv === latencyCanvas && state.lsc) {
      var pt = C.nearestPoint(series, state.lsc, p, state.log);
      if (pt) h = { point: pt };
    } else if (cv === stripCanvas && state.ssc && p.x >= M.l) {
      var xr = xRange(), t = xr[0] + (p.x - M.l) / state.ssc.pw * (xr[1] - xr[0]);
      var b = Math.floor((t - strip.start) / strip.width), oc = strip.classes[0], ec = strip.classes[1];
      if (oc && b >= 0 && b < oc.counts.length) h = { bucket: { t0: strip.start + b * strip.width, ok: oc.counts[b], err: ec.counts[b] } };
    }
    if (h) { h.cx = e.clientX; h.cy = e.clientY; }
    return h;
  }
  function timeAt(px) {
    var xr = xRange(), w = latencyCanvas.clientWidth - M.l - M.r;
    return xr[0] + (px - M.l) / w * (xr[1] - xr[0]);
  }
  canvases.forEach(function (cv) {
    cv.addEventListener('mousedown', function (e) {
      if (e.button !== 0) return;
      var p = pos(e, cv);
      if (p.x < M.l) return;
      state.drag = { x0: p.x, x1: p.x, moved: false, canvas: cv };
      e.preventDefault();
    });
    cv.addEventListener('dblclick', resetZoom);
    cv.addEventListener('mouseleave', function () {
      if (state.drag) return;
      state.hover = null;
      showTip(null);
      drawLatency();
    });
    cv.addEventListener('click', function (e) {
      if (cv !== timelineCanvas) return;
      var h = hit(cv, pos(e, cv), e);
      if (h && h.act) { select(h.act); drawTimeline(); }
    });
  });
  C.onMouseMove(function (e) {
    var d = state.drag;
    if (d) {
      d.x1 = pos(e, d.canvas).x;
      if (Math.abs(d.x1 - d.x0) > 3) d.moved = true;
      state.hover = null;
      showTip(null);
      drawAll();
      return;
    }
    if (canvases.indexOf(e.target) < 0) return;
    state.hover = hit(e.target, pos(e, e.target), e);
    showTip(state.hover);
    drawLatency();
  });
  window.addEventListener('mouseup', function () {
    var d = state.drag;
    state.drag = null;
    if (d && d.moved) {
      var a = timeAt(Math.max(M.l, Math.min(d.x0, d.x1))), b = timeAt(Math.max(d.x0, d.x1));
      if (b - a > 1e-3) state.zoom = [a, b];
    }
    drawAll();
  });
  function resetZoom() {
    state.zoom = null;
    drawAll();
  }
  $('b-reset').addEventListener('click', resetZoom);
  C.toggleButton($('b-scale'), state, 'log', drawAll);
  function setTheme(dark) {
    state.dark = dark;
    document.documentElement.classList.toggle('dark', dark);
    $('b-theme').textContent = dark ? 'Light theme' : 'Dark theme';
    C.seriesLegend($('legend'), series, seriesColor, function () { drawAll(); });
    var timelineKeys = [
      { name: 'succeeded', color: STATUS.succeeded }, { name: 'failed', color: STATUS.failed },
      { name: 'tolerance not met', color: STATUS.tolerance }, { name: 'no status', color: STATUS.none }
    ];
    C.classLegend($('strip-legend'), strip.classes.map(function (k) { return { name: k.name + ' requests/s', color: k.color }; })
      .concat(timelineKeys.map(function (k) { return { name: 'activity ' + k.name, color: k.color }; })));
    drawAll();
  }
  $('b-theme').addEventListener('click', function () { setTheme(!state.dark); });
  window.addEventListener('resize', drawAll);

  // ---- start ---------------------------------------------------------------------------------------
  var flags = (location.hash || '').replace('#', '').split(',');
  var prefersDark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  setTheme(flags.indexOf('dark') >= 0 || (flags.indexOf('light') < 0 && !!prefersDark));
  // Where the error points lie (first and last time, seconds since the page's midnight), for the browser checks.
  var errorPoints = 0, errLo = Infinity, errHi = -Infinity;
  series.forEach(function (s) {
    if (s.kind !== 'ERROR') return;
    errorPoints += s.x.length;
    s.x.forEach(function (x) { if (x < errLo) errLo = x; if (x > errHi) errHi = x; });
  });
  body.setAttribute('data-error-points', String(errorPoints));
  if (errorPoints) body.setAttribute('data-error-span', errLo + ',' + errHi);
  body.setAttribute('data-disruptions', String(disruptions.length));
  if (flags.indexOf('selftest') >= 0) selfTest();
  window.barrageReport = { state: state, resetZoom: resetZoom, select: select };
  body.setAttribute('data-rendered', 'ok');

  // Exercises the controls once without a pointer (the test suite's #selftest): zoom on the first
  // disruption, a bar's read-out and selection, a point's read-out, scale and theme; `keep` leaves it so.
  function selfTest() {
    var steps = [];
    var first = disruptions[0] || lanes[0];
    if (first) {
      var full = fullX(), span = (full[1] - full[0]) / 3;
      state.zoom = [first.start - span / 2, first.start + span / 2];
      drawAll();
      steps.push('zoom');
      var box = barBoxes.filter(function (b) { return b.a === first; })[0];
      if (box) {
        var r = timelineCanvas.getBoundingClientRect();
        state.hover = { act: first, cx: r.left + (box.x0 + box.x1) / 2, cy: r.top + box.y1 };
        showTip(state.hover);
        steps.push('bar:' + tip.textContent.slice(0, 60));
        select(first);
        steps.push('selected');
      }
    }
    var lr = latencyCanvas.getBoundingClientRect(), sc = state.lsc, pt = null;
    series.forEach(function (s) {
      for (var i = 0; i < s.x.length && !pt; i++) {
        if (s.x[i] >= sc.x0 && s.x[i] <= sc.x1) pt = { s: s, i: i, px: sc.sx(s.x[i]), py: sc.sy(s.y[i]) };
      }
    });
    if (pt) {
      state.hover = { point: pt, cx: lr.left + pt.px, cy: lr.top + pt.py };
      showTip(state.hover);
      steps.push('point:' + tip.textContent.slice(0, 60));
    }
    $('b-scale').click();
    $('b-scale').click();
    $('b-theme').click();
    $('b-theme').click();
    steps.push('scale;theme');
    if (flags.indexOf('keep') < 0) {
      state.hover = null;
      showTip(null);
      resetZoom();
    } else {
      drawLatency();
    }
    body.setAttribute('data-selftest', steps.join(';'));
  }
})();
