// barrage chart kit: the drawing pieces the plot page and the chaos report share (formatting, themes, scales,
// ticks, axes, point series, stacked rate strips). Written for this project; no library, no network.
var barrageChart = (function () {
  'use strict';

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
  function pad2(n) { return (n < 10 ? '0' : '') + n; }
  // Seconds since a UTC midnight as a wall-clock time: HH:MM:SS, with milliseconds when asked.
  function fmtClock(s, withMs) {
    var day = ((s % 86400) + 86400) % 86400, whole = Math.floor(day);
    var text = pad2(Math.floor(whole / 3600)) + ':' + pad2(Math.floor(whole / 60) % 60) + ':' + pad2(whole % 60);
    if (withMs) text += '.' + String(Math.floor((day - whole) * 1000 + 1e-6) + 1000).slice(1);
    return text;
  }

  // ---- theme ---------------------------------------------------------------------------------------
  function cssVar(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }
  function hexToRgb(hex) {
    var h = hex.replace('#', '');
    if (h.length === 3) h = h[0] + h[0] + h[1] + h[1] + h[2] + h[2];
    var n = parseInt(h, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  // vegeta's palettes include near-black colours; on the dark theme those are lifted so they stay visible.
  function liftColor(hex, dark) {
    if (!dark) return hex;
    var c = hexToRgb(hex);
    var lum = (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) / 255;
    if (lum >= 0.35) return hex;
    var t = 0.55;
    return 'rgb(' + c.map(function (v) { return Math.round(v + (255 - v) * t); }).join(',') + ')';
  }
  // Records script errors on <body data-render-error>, for the browser checks.
  function watchErrors() {
    var errors = [];
    window.addEventListener('error', function (e) {
      errors.push(String(e.message || e));
      document.body.setAttribute('data-render-error', errors.join(' | '));
    });
  }

  // ---- ranges, scales and ticks --------------------------------------------------------------------
  // The latency range of the shown series inside [x0, x1], padded (log: in decades).
  function latencyRange(series, x0, x1, log) {
    var lo = Infinity, hi = -Infinity;
    series.forEach(function (s) {
      if (!s.on) return;
      for (var i = 0; i < s.x.length; i++) {
        var x = s.x[i], y = s.y[i];
        if (x < x0 || x > x1) continue;
        if (log && !(y > 0)) continue;
        if (y < lo) lo = y;
        if (y > hi) hi = y;
      }
    });
    if (!isFinite(lo)) return log ? [0.1, 10] : [0, 1];
    if (log) {
      var l0 = Math.log10(lo), l1 = Math.log10(hi);
      if (l1 - l0 < 0.5) { var mid = (l0 + l1) / 2; l0 = mid - 0.25; l1 = mid + 0.25; }
      var pad = (l1 - l0) * 0.06;
      return [Math.pow(10, l0 - pad), Math.pow(10, l1 + pad)];
    }
    if (hi <= 0) hi = 1;
    return [0, hi * 1.06];
  }
  // Pixel mappings for margins M, x range xr and y range yr on a w x h canvas.
  function scales(M, xr, yr, log, w, h) {
    var pw = Math.max(10, w - M.l - M.r), ph = Math.max(10, h - M.t - M.b);
    var sc = { x0: xr[0], x1: xr[1], y0: yr[0], y1: yr[1], pw: pw, ph: ph, w: w, h: h };
    sc.sx = function (x) { return M.l + (x - sc.x0) / (sc.x1 - sc.x0) * pw; };
    sc.ix = function (px) { return sc.x0 + (px - M.l) / pw * (sc.x1 - sc.x0); };
    if (log) {
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
  // Ticks on a clock: steps of whole seconds, minutes and hours (below a second, decimal steps).
  function clockTicks(lo, hi, count) {
    var raw = (hi - lo) / count;
    if (!(raw >= 1)) return niceTicks(lo, hi, count);
    var steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
    var step = steps[steps.length - 1];
    for (var i = 0; i < steps.length; i++) if (steps[i] >= raw) { step = steps[i]; break; }
    var out = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(v);
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

  // ---- drawing -------------------------------------------------------------------------------------
  // Sizes a canvas to its box at the device pixel ratio; returns its context (in CSS pixels) and size.
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
  // Vertical grid lines with tick labels under the plot area; `axis` = {ticks(lo, hi, n), format(t), label}.
  function drawXAxis(ctx, sc, M, axis) {
    var ticks = axis.ticks(sc.x0, sc.x1, Math.max(2, Math.floor(sc.pw / 90)));
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
      ctx.fillText(axis.format(t), px, M.t + sc.ph + 6);
    });
    if (axis.label) {
      ctx.fillStyle = cssVar('--fg');
      ctx.fillText(axis.label, M.l + sc.pw / 2, M.t + sc.ph + 24);
    }
  }
  // Background, latency grid and labels, the x axis, and the frame of a latency chart.
  function drawLatencyFrame(ctx, sc, M, log, axis) {
    ctx.fillStyle = cssVar('--bg');
    ctx.fillRect(0, 0, sc.w, sc.h);
    ctx.font = '12px system-ui, sans-serif';
    var yt = log ? logTicks(sc.y0, sc.y1) : niceTicks(sc.y0, sc.y1, Math.max(2, Math.floor(sc.ph / 60)));
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
    drawXAxis(ctx, sc, M, axis);
    ctx.save();
    ctx.translate(16, M.t + sc.ph / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = cssVar('--fg');
    ctx.fillText('Latency' + (log ? ' (log scale)' : ''), 0, 0);
    ctx.restore();
    ctx.strokeStyle = cssVar('--axis');
    ctx.strokeRect(M.l + 0.5, M.t + 0.5, sc.pw, sc.ph);
  }
  // Draws the shown series as points (or lines), OK ones first so the usually sparse ERROR points stay on top.
  // Returns the number of points drawn.
  function drawSeries(ctx, sc, M, series, opts) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(M.l, M.t, sc.pw, sc.ph);
    ctx.clip();
    var drawn = 0;
    var order = series.filter(function (s) { return s.kind !== 'ERROR'; })
      .concat(series.filter(function (s) { return s.kind === 'ERROR'; }));
    order.forEach(function (s) {
      if (!s.on) return;
      var color = opts.color(s);
      ctx.fillStyle = color;
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.25;
      if (opts.lines) ctx.beginPath();
      var started = false;
      for (var i = 0; i < s.x.length; i++) {
        var x = s.x[i];
        if (x < sc.x0 || x > sc.x1) {
          // keep the line going to the first point outside the range on each side
          if (!opts.lines || !((i + 1 < s.x.length && s.x[i + 1] >= sc.x0 && x < sc.x0) || (x > sc.x1 && i > 0 && s.x[i - 1] <= sc.x1))) continue;
        }
        var y = s.y[i];
        if (opts.log && !(y > 0)) continue;
        var px = sc.sx(x), py = sc.sy(y);
        if (opts.lines) {
          if (started) ctx.lineTo(px, py); else { ctx.moveTo(px, py); started = true; }
        } else {
          ctx.fillRect(px - 1.5, py - 1.5, 3, 3);
        }
        drawn++;
      }
      if (opts.lines) ctx.stroke();
    });
    ctx.restore();
    return drawn;
  }
  // The nearest shown point to pixel p within 24px: {s, i, px, py} or null.
  function nearestPoint(series, sc, p, log) {
    var best = null, bestD = 24 * 24;
    series.forEach(function (s) {
      if (!s.on) return;
      for (var i = 0; i < s.x.length; i++) {
        var x = s.x[i];
        if (x < sc.x0 || x > sc.x1) continue;
        var y = s.y[i];
        if (log && !(y > 0)) continue;
        var px = sc.sx(x), py = sc.sy(y), dx = px - p.x, dy = py - p.y, d = dx * dx + dy * dy;
        if (d < bestD) { bestD = d; best = { s: s, i: i, px: px, py: py }; }
      }
    });
    return best;
  }
  // Stacked requests per second by class over [xr0, xr1]. `strip` = {start, width, classes: [{color, counts}]}:
  // bucket b covers [start + b*width, start + (b+1)*width). Returns the scales used (for overlays).
  function drawRateStrip(canvas, M, xr, strip, axis) {
    var c = prepare(canvas), ctx = c.ctx;
    var ph = Math.max(10, c.h - 14 - 30), pw = Math.max(10, c.w - M.l - M.r);
    var sx = function (x) { return M.l + (x - xr[0]) / (xr[1] - xr[0]) * pw; };
    ctx.fillStyle = cssVar('--bg');
    ctx.fillRect(0, 0, c.w, c.h);
    ctx.font = '12px system-ui, sans-serif';
    var n = strip.classes.length ? strip.classes[0].counts.length : 0;
    var width = strip.width, start = strip.start || 0, top = 0;
    for (var b = 0; b < n; b++) {
      var t0 = start + b * width, t1 = t0 + width;
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
      var a0 = start + b * width, a1 = a0 + width;
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
    axis.ticks(xr[0], xr[1], Math.max(2, Math.floor(pw / 90))).forEach(function (t) {
      ctx.fillText(axis.format(t), sx(t), 14 + ph + 6);
    });
    return { ctx: ctx, sx: sx, sy: sy, pw: pw, ph: ph, top: 14, ymax: ymax };
  }
  // A legend entry: a swatch and a name (and an optional muted count) inside `el`.
  function legendEntry(el, color, name, count) {
    var sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = color;
    el.appendChild(sw);
    var label = document.createElement('span');
    label.textContent = name;
    el.appendChild(label);
    if (count) {
      var c = document.createElement('span');
      c.className = 'count';
      c.textContent = count;
      el.appendChild(c);
    }
    return el;
  }
  // Legend buttons that show or hide each series (`s.on`), then call `changed`.
  function seriesLegend(box, series, colorOf, changed) {
    box.textContent = '';
    series.forEach(function (s) {
      var btn = document.createElement('button');
      btn.type = 'button';
      btn.className = s.on ? '' : 'off';
      btn.title = 'Show or hide this series';
      legendEntry(btn, colorOf(s), s.label, s.count + ' results, ' + s.x.length + ' points');
      btn.addEventListener('click', function () {
        s.on = !s.on;
        btn.className = s.on ? '' : 'off';
        changed();
      });
      box.appendChild(btn);
    });
    if (!series.length) {
      var empty = document.createElement('span');
      empty.className = 'item';
      empty.textContent = 'No results to plot.';
      box.appendChild(empty);
    }
  }
  // A static legend of colour classes ({name, color}).
  function classLegend(box, classes) {
    box.textContent = '';
    classes.forEach(function (k) {
      var item = document.createElement('span');
      item.className = 'item';
      box.appendChild(legendEntry(item, k.color, k.name));
    });
  }
  // Calls handler(e) with the latest mouse move over the window at most once per frame; a timer backs the frame
  // up, for windows that get no frames (background tabs, headless browsers).
  function onMouseMove(handler) {
    var pending = null;
    function flush() {
      if (pending === null) return;
      var e = pending;
      pending = null;
      handler(e);
    }
    window.addEventListener('mousemove', function (e) {
      if (pending === null) {
        window.requestAnimationFrame(flush);
        window.setTimeout(flush, 50);
      }
      pending = e;
    });
  }
  // A pressed/unpressed button for the boolean state[key]: a click flips it and calls redraw.
  function toggleButton(button, state, key, redraw) {
    button.addEventListener('click', function () {
      state[key] = !state[key];
      button.setAttribute('aria-pressed', String(state[key]));
      redraw();
    });
  }
  // Positions a floating read-out near (x, y) inside its box, flipping sides at the edges.
  function placeTip(tip, box, x, y) {
    var left = x + 14, top = y + 14;
    if (left + tip.offsetWidth > box.width) left = x - tip.offsetWidth - 14;
    if (top + tip.offsetHeight > box.height) top = y - tip.offsetHeight - 14;
    tip.style.left = Math.max(0, left) + 'px';
    tip.style.top = Math.max(0, top) + 'px';
  }

  return {
    trim: trim, fmtMs: fmtMs, fmtSec: fmtSec, fmtClock: fmtClock, cssVar: cssVar, liftColor: liftColor,
    watchErrors: watchErrors, latencyRange: latencyRange, scales: scales, niceTicks: niceTicks,
    clockTicks: clockTicks, logTicks: logTicks, prepare: prepare, drawXAxis: drawXAxis,
    drawLatencyFrame: drawLatencyFrame, drawSeries: drawSeries, nearestPoint: nearestPoint,
    drawRateStrip: drawRateStrip, legendEntry: legendEntry, seriesLegend: seriesLegend,
    classLegend: classLegend, placeTip: placeTip, onMouseMove: onMouseMove,
    toggleButton: toggleButton
  };
})();
