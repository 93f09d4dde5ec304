/* cxkit: draw every chart of the report with the inlined plotly.js (no network). */
(function () {
  "use strict";
  var config = {displayModeBar: false, responsive: true, showLink: false, typesetMath: false};
  function draw() {
    var blocks = document.querySelectorAll("script.cx-chart-data");
    for (var i = 0; i < blocks.length; i++) {
      var target = document.getElementById(blocks[i].getAttribute("data-for"));
      if (!target || target.getAttribute("data-drawn")) continue;
      try {
        var fig = JSON.parse(blocks[i].textContent);
        window.Plotly.newPlot(target, fig.data, fig.layout, config);
        target.setAttribute("data-drawn", "1");
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
  window.addEventListener("beforeprint", function () {
    var width = printWidth();
    each(function (c) { window.Plotly.relayout(c, {width: width}); });
  });
  window.addEventListener("afterprint", function () {
    each(function (c) {
      window.Plotly.relayout(c, {width: null, autosize: true});
    });
  });
  draw();
})();
