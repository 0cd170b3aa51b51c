// The dashboards' charts: each one's Vega-Lite spec (built on the server by Altair, in a JSON script element) drawn
// by vega-embed. The page's Content-Security-Policy allows no eval and no inline style: Vega runs with its
// expression interpreter (ast: true, no `new Function`), and vega-embed and vega-tooltip inject no stylesheet
// (their few rules are in csphub.css). Each drawn view is kept in window.csphubCharts by its chart's slug (the
// browser tests compare the data it drew with the spec's).
export async function initAll() {
  const embed = window.vegaEmbed;
  window.csphubCharts = window.csphubCharts || {};
  for (const el of document.querySelectorAll('[data-module="csphub-chart"]')) {
    const source = document.getElementById(el.dataset.spec);
    if (!embed || !source) continue;
    const spec = JSON.parse(source.textContent);
    try {
      const result = await embed(el, spec, {
        renderer: "svg",
        actions: false,
        ast: true,
        defaultStyle: false,
        tooltip: { disableDefaultStyle: true },
      });
      window.csphubCharts[el.dataset.chart] = result.view;
      el.dataset.chartReady = "true";
    } catch (error) {
      el.dataset.chartReady = "error";
      el.insertAdjacentHTML("beforeend", '<p class="govuk-body-s">The chart could not be drawn: its figures are in the table below.</p>');
      console.error(error);
    }
  }
}
