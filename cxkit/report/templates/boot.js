/* cxkit: draw every chart of the report with the inlined plotly.js (no network). */
(function () {
  "use strict";
  var config = {displayModeBar: false, responsive: true, showLink: false, typesetMath: false};
  // Labels across a narrow chart that would print over each other stand on end instead.
  function overlapping(labels) {
    for (var i = 1; i < labels.length; i++) {
      var a = labels[i - 1].getBoundingClientRect(), b = labels[i].getBoundingClientRect();
      if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1) return true;
    }
    return false;
  }
  function untangle(div) {
    var labels = div.querySelectorAll(".xtick text");
    if (labels.length > 1 && overlapping(labels)) {
      window.Plotly.relayout(div, {"xaxis.tickangle": -90});
    }
  }
  function draw() {
    var blocks = document.querySelectorAll("script.cx-chart-data");
    for (var i = 0; i < blocks.length; i++) {
      var target = document.getElementById(blocks[i].getAttribute("data-for"));
      if (!target || target.getAttribute("data-drawn")) continue;
      try {
        var fig = JSON.parse(blocks[i].textContent);
        window.Plotly.newPlot(target, fig.data, fig.layout, config);
        target.setAttribute("data-drawn", "1");
        untangle(target);
      } catch (err) {
        target.textContent = target.getAttribute("aria-label");
        target.className += " cx-chart-error";
      }
    }
  }
  // Printing: "beforeprint" fires while the page still has its screen layout, so a
  // resize would keep the screen width and the printed chart would be cut off at the
  // A4 margin. Lay each chart out at the printed text width instead (--cx-print-width
  // in report.css), and give it back to the window afterwards.
  function printWidth() {
    var probe = document.createElement("div");
    probe.style.cssText = "position:absolute;visibility:hidden;width:var(--cx-print-width,186mm)";
    document.body.appendChild(probe);
    var width = Math.floor(probe.getBoundingClientRect().width);
    document.body.removeChild(probe);
    return width;
  }
  function each(fn) {
    var charts = document.querySelectorAll(".cx-chart[data-drawn]");
    for (var i = 0; i < charts.length; i++) fn(charts[i]);
  }
  // The data table under each chart is folded away on screen and printed open.
  var opened = [];
  // A tall chart (an emotion panel of many touchpoints) is drawn shorter on paper, with
  // one-line labels in a smaller type, so it shares its page with its heading.
  var PRINT_MAX_HEIGHT = 600;
  var tall = [];
  window.addEventListener("beforeprint", function () {
    var width = printWidth();
    each(function (c) {
      var lay = c.layout, update = {width: width};
      if (lay.height > PRINT_MAX_HEIGHT && lay.yaxis && lay.yaxis.ticktext) {
        tall.push({c: c, height: lay.height, ticktext: lay.yaxis.ticktext.slice(),
                   size: (lay.yaxis.tickfont || {}).size || null});
        update.height = PRINT_MAX_HEIGHT;
        update["yaxis.ticktext"] = lay.yaxis.ticktext.map(function (t) { return t.replace(/<br>/g, " "); });
        update["yaxis.tickfont.size"] = 9;
      }
      window.Plotly.relayout(c, update);
    });
    var tables = document.querySelectorAll("details.cx-chart-table:not([open])");
    for (var i = 0; i < tables.length; i++) { tables[i].open = true; opened.push(tables[i]); }
  });
  window.addEventListener("afterprint", function () {
    while (tall.length) {
      var t = tall.pop();
      window.Plotly.relayout(t.c, {height: t.height, "yaxis.ticktext": t.ticktext, "yaxis.tickfont.size": t.size});
    }
    each(function (c) {
      window.Plotly.relayout(c, {width: null, autosize: true});
    });
    while (opened.length) opened.pop().open = false;
  });
  // A poster wider than its frame shows the scroll cue (and its frame is focusable, so
  // the arrow keys scroll it).
  function cues() {
    var wraps = document.querySelectorAll(".cx-poster-wrap");
    for (var i = 0; i < wraps.length; i++) {
      var w = wraps[i];
      w.classList.toggle("cx-overflows", w.scrollWidth > w.clientWidth + 1);
    }
  }
  window.addEventListener("resize", cues);
  draw();
  cues();
})();
