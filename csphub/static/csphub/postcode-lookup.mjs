// The place form's "Find on the map" (templates/registers/place_form.html): looks the postcode up in the shipped
// Code-Point Open file (registers:postcode-lookup, JSON) and moves the map's pin to its centre, without leaving
// the page. The pin at a postcode's centre fills nothing: saved so, the place is located by its postcode (as without
// JavaScript). Only a click on the map or a drag of the pin fills the hidden latitude and longitude (map.mjs).
//
// Without JavaScript the button submits the form with name="find", and the server answers the same way.

function whenReady(mapElement) {
  if (mapElement.csphubMap) return Promise.resolve(mapElement.csphubMap);
  return new Promise((resolve) =>
    mapElement.addEventListener("csphub:map-ready", () => resolve(mapElement.csphubMap), { once: true }),
  );
}

export function initLookup(root) {
  const button = root.querySelector("[data-postcode-find]");
  const status = root.querySelector("[data-postcode-status]");
  const input = document.getElementById(root.dataset.postcodeInput);
  const mapElement = root.querySelector('[data-module="csphub-map"]');
  if (!button || !status || !input || !mapElement) return;
  const hidden = (mapElement.dataset.pinInputs || "").split(/\s+/).map((id) => document.getElementById(id));

  // With JavaScript, Enter in a field saves the form (the first submit button is Save again, not this one).
  button.type = "button";

  const find = async () => {
    const url = new URL(root.dataset.lookupUrl, window.location.href);
    url.searchParams.set("postcode", input.value);
    status.textContent = "Finding the postcode…";
    let answer;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      answer = await response.json();
    } catch {
      status.textContent = "The postcode could not be looked up. Put the pin on the map by hand, or save without it.";
      return;
    }
    status.textContent = answer.message;
    if (!answer.found) return;
    input.value = answer.postcode;
    for (const field of hidden) if (field) field.value = ""; // the postcode's centre, until the pin is moved
    const map = await whenReady(mapElement);
    map.setPin(answer.latitude, answer.longitude, { fill: false });
    map.map.setView([answer.latitude, answer.longitude], 16);
  };

  button.addEventListener("click", (event) => {
    event.preventDefault();
    find();
  });
  mapElement.addEventListener("csphub:pin-moved", () => {
    status.textContent = "The pin is where you put it. Find the postcode again to use its centre.";
  });
}

export function initAll(root = document) {
  for (const element of root.querySelectorAll('[data-module="csphub-postcode-lookup"]')) initLookup(element);
}
