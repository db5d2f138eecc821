// Pay by post: one bar per post from the lowest to the highest pay mentioned (plotly.js,
// served by postwatch from the plotly wheel). The data comes from a JSON script tag.
(function () {
  var holder = document.getElementById("pay-chart");
  var source = document.getElementById("pay-data");
  if (!holder || !source || typeof Plotly === "undefined") { return; }
  var rows = JSON.parse(source.textContent).reverse();
  Plotly.newPlot(holder, [{
    type: "bar",
    orientation: "h",
    y: rows.map(function (r) { return r.post; }),
    base: rows.map(function (r) { return r.lowest; }),
    x: rows.map(function (r) { return Math.max(r.highest - r.lowest, r.highest * 0.01); }),
    customdata: rows.map(function (r) { return [r.lowest, r.highest, r.mentions]; }),
    hovertemplate: "%{y}: £%{customdata[0]:,} to £%{customdata[1]:,} (%{customdata[2]} mentions)<extra></extra>",
    marker: {color: "#feca74"}
  }], {
    title: {text: "Pay by post (£ a year, lowest to highest mentioned)"},
    margin: {l: 220, r: 20, t: 40, b: 40},
    height: 120 + 24 * rows.length,
    xaxis: {tickprefix: "£", separatethousands: true}
  }, {displayModeBar: false, responsive: true});
})();
