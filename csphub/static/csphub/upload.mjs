// The upload page's progress bar: polls the upload's progress until it has loaded or failed, then reloads the page
// (which lists the files loaded, or the file:line error).
export function initAll() {
  for (const box of document.querySelectorAll('[data-module="csphub-upload-progress"]')) {
    if (box.dataset.finished === "true") continue;
    const bar = box.querySelector("progress");
    const step = box.querySelector("[data-progress-step]");
    const status = box.querySelector("[data-progress-status]");
    const poll = async () => {
      let data;
      try {
        const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        data = await response.json();
      } catch {
        setTimeout(poll, 2000);
        return;
      }
      bar.value = data.percent;
      bar.textContent = `${data.percent}%`;
      step.textContent = data.step;
      status.textContent = `${data.status_label} (${data.percent}%)`;
      if (data.finished) {
        window.location.reload();
      } else {
        setTimeout(poll, 700);
      }
    };
    poll();
  }
}
