// Starts GOV.UK Frontend and MoJ Frontend components (loaded as an ES module; no inline script needed).
import { initAll as initGovuk } from "../vendor/govuk-frontend.min.js";
import { initAll as initMoj } from "../vendor/moj-frontend.min.js";

initGovuk();
initMoj();
