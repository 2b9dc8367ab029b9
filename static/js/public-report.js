// Public report form: picking a project or enterprise from the look-up fills the hidden id and the name, and the
// name and phone fields show only for a named report. Works without it too (the server checks everything).
document.addEventListener("click", (event) => {
  const choice = event.target.closest("[data-pick]");
  if (!choice) return;
  const kind = choice.dataset.pick;
  document.querySelector(`input[name="${kind}"]`).value = choice.dataset.id;
  document.querySelector(`input[name="${kind}_name"]`).value = choice.dataset.name;
  choice.parentElement.replaceChildren();
});
document.addEventListener("input", (event) => {
  if (event.target.name === "project_name") document.querySelector('input[name="project"]').value = "";
  if (event.target.name === "enterprise_name") document.querySelector('input[name="enterprise"]').value = "";
});
function toggleNamed() {
  const named = document.querySelector('input[name="anonymous"][value="0"]');
  const box = document.querySelector('[data-testid="named-fields"]');
  if (named && box) box.hidden = !named.checked;
}
document.addEventListener("change", (event) => { if (event.target.name === "anonymous") toggleNamed(); });
document.addEventListener("DOMContentLoaded", toggleNamed);
