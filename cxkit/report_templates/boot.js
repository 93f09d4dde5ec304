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
  function resize() {
    var charts = document.querySelectorAll(".cx-chart[data-drawn]");
    for (var i = 0; i < charts.length; i++) window.Plotly.Plots.resize(charts[i]);
  }
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
  draw();
})();
