// Starts GOV.UK Frontend and MoJ Frontend components (loaded as an ES module; no inline script needed).
import { initAll as initGovuk } from "../vendor/govuk-frontend.min.js";
import { initAll as initMoj } from "../vendor/moj-frontend.min.js";

initGovuk();
initMoj();

// Officer pickers: show only the officers of the agency chosen in the same form (the server refuses any other).
for (const officers of document.querySelectorAll("select[data-officers-of]")) {
  const agency = document.getElementById(officers.dataset.officersOf);
  if (!agency) continue;
  const show = () => {
    const chosen = agency.selectedOptions[0]?.text ?? "";
    for (const group of officers.querySelectorAll("optgroup")) {
      const mine = group.label === chosen;
      group.hidden = !mine;
      group.disabled = !mine;
      if (!mine && group.contains(officers.selectedOptions[0])) officers.value = "";
    }
  };
  agency.addEventListener("change", show);
  show();
}

// Maps: Leaflet is loaded only on pages that have one.
if (document.querySelector('[data-module="csphub-map"]')) {
  import("./map.mjs").then((maps) => maps.initAll());
}

// The dashboards' charts (vega-embed: deferred classic scripts of the page, run before this module) and the upload
// progress bar.
if (document.querySelector('[data-module="csphub-chart"]')) {
  import("./charts.mjs").then((charts) => charts.initAll());
}
if (document.querySelector('[data-module="csphub-upload-progress"]')) {
  import("./upload.mjs").then((upload) => upload.initAll());
}

// The insights map (its layers on the same base map).
if (document.querySelector('[data-module="csphub-insights-map"]')) {
  import("./insights-map.mjs").then((maps) => maps.initAll());
}

// The place form: "Find on the map" looks the postcode up and moves the pin without leaving the page.
if (document.querySelector('[data-module="csphub-postcode-lookup"]')) {
  import("./postcode-lookup.mjs").then((lookup) => lookup.initAll());
}

// The intelligence network: Cytoscape.js is loaded only on the network page.
if (document.querySelector('[data-module="csphub-network"]')) {
  import("./network.mjs").then((network) => network.initAll());
}
