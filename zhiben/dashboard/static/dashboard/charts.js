/* Campaign dashboard charts (ECharts, served locally). The figures come from the page's
   <script type="application/json" id="dashboard-charts"> (Django's json_script); nothing is computed here. */
(function () {
  "use strict";

  var BLUE = "#206bc4", GREEN = "#2fb344", ORANGE = "#f59f00", RED = "#d63939", GREY = "#9aa0ac";

  function readData() {
    var node = document.getElementById("dashboard-charts");
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function isEmpty(values) {
    for (var i = 0; i < values.length; i++) { if (values[i]) { return false; } }
    return true;
  }

  function emptyTitle(data, values) {
    return isEmpty(values) ? { text: data.labels.empty, left: "center", top: "middle",
      textStyle: { color: GREY, fontSize: 14, fontWeight: "normal" } } : undefined;
  }

  function bars(data, categories, series, extra) {
    var option = {
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: series.length > 1 ? 36 : 16, bottom: 28, containLabel: true },
      xAxis: { type: "category", data: categories },
      yAxis: { type: "value", minInterval: 1 },
      series: series.map(function (s) {
        return { name: s.name, type: "bar", data: s.data, itemStyle: { color: s.color },
          label: { show: true, position: "top" } };
      })
    };
    if (series.length > 1) { option.legend = { top: 0 }; }
    var all = [];
    series.forEach(function (s) { all = all.concat(s.data); });
    option.title = emptyTitle(data, all);
    return Object.assign(option, extra || {});
  }

  var builders = {
    monthly: function (data) {
      return bars(data, data.months, [
        { name: data.labels.found, data: data.monthly.found, color: BLUE },
        { name: data.labels.closed, data: data.monthly.closed, color: GREEN }
      ]);
    },
    on_time: function (data) {
      return {
        title: emptyTitle(data, data.on_time.rate.map(function (v) { return v === null ? 0 : 1; })),
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + "%"; } },
        grid: { left: 40, right: 72, top: 28, bottom: 28, containLabel: true },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: [{
          name: data.labels.on_time_rate, type: "line", data: data.on_time.rate, connectNulls: false,
          itemStyle: { color: BLUE }, label: { show: true, formatter: "{c}%" },
          markLine: { symbol: "none", lineStyle: { color: RED, type: "dashed" },
            label: { formatter: data.labels.target + " {c}%" }, data: [{ yAxis: data.on_time.target }] }
        }]
      };
    },
    channels: function (data) {
      var values = data.channels.map(function (c) { return c.value; });
      var total = values.reduce(function (a, b) { return a + b; }, 0);
      var shares = {};
      data.channels.forEach(function (c) {
        shares[c.name] = total ? Math.round(c.value * 10000 / total) / 100 + "%" : "—";
      });
      var muted = [BLUE, ORANGE, GREY];
      var k = 0;
      return {
        title: emptyTitle(data, values),
        tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
        legend: { bottom: 0, type: "plain", itemWidth: 14, itemHeight: 10,
          formatter: function (name) { return name + "  " + shares[name]; } },
        series: [{
          type: "pie", radius: ["35%", "62%"], center: ["50%", "40%"], selectedMode: "single", selectedOffset: 10,
          label: { show: false },
          data: data.channels.map(function (c) {
            var self = c.code === "self";
            return { name: c.name, value: c.value, selected: self && c.value > 0,
              itemStyle: { color: self ? GREEN : muted[k++ % muted.length], borderWidth: self ? 3 : 0,
                borderColor: self ? "#fff" : undefined } };
          })
        }]
      };
    },
    escalations: function (data) {
      var categories = data.escalations.categories.map(function (c) { return c.replace(" · ", "\n"); });
      return bars(data, categories, [
        { name: data.labels.hazards, data: data.escalations.values, color: ORANGE }
      ], { xAxis: { type: "category", data: categories, axisLabel: { interval: 0 } } });
    },
    time_to_close: function (data) {
      return bars(data, data.time_to_close.categories, [
        { name: data.labels.hazards, data: data.time_to_close.values, color: BLUE }
      ], { xAxis: { type: "category", data: data.time_to_close.categories, name: data.labels.days,
        nameLocation: "middle", nameGap: 28 } });
    }
  };

  function init() {
    if (typeof window.echarts === "undefined") { return; }
    var data = readData();
    if (!data) { return; }
    var theme = document.body.getAttribute("data-bs-theme") === "dark" ? "dark" : null;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var build = builders[el.getAttribute("data-chart")];
      if (!build) { return; }
      var old = window.echarts.getInstanceByDom(el);
      if (old) { old.dispose(); }
      var chart = window.echarts.init(el, theme, { renderer: "canvas" });
      var option = build(data);
      if (theme) { option.backgroundColor = "transparent"; }
      chart.setOption(option);
    });
  }

  function resize() {
    if (typeof window.echarts === "undefined") { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = window.echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); }
    });
  }

  // The large screen polls itself; if the answer is not the screen (the session ended and the login page came
  // back), reload the page rather than swap in nothing, so the wall shows the login form.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (event.detail.target && event.detail.target.id === "screen" && xhr &&
        xhr.responseText.indexOf('id="screen"') === -1) {
      event.detail.shouldSwap = false;
      window.location.reload();
    }
  });
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);  // the large screen swaps its figures in every 5 minutes
  window.addEventListener("resize", resize);
})();
