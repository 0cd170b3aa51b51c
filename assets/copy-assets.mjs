// Copies the JavaScript and images of GOV.UK Frontend and MoJ Frontend into csphub/static/vendor/.
// Fonts and the GOV.UK crown/crest are deliberately not copied: csphub is not a gov.uk service.
import { cpSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

const out = "csphub/static/vendor";
const images = join(out, "assets", "images");
mkdirSync(images, { recursive: true });

const govuk = "node_modules/govuk-frontend/dist/govuk";
const moj = "node_modules/@ministryofjustice/frontend/moj";
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(moj, "moj-frontend.min.js"), join(out, "moj-frontend.min.js"));

const brand = /crown|crest|govuk-icon|opengraph|logotype|favicon|^moj-/;
for (const dir of [join(govuk, "assets", "images"), join(moj, "assets", "images")]) {
  for (const name of readdirSync(dir)) {
    if (!brand.test(name)) cpSync(join(dir, name), join(images, name));
  }
}
console.log(`front-end assets written to ${out}`);
