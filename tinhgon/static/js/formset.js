// "+ Thêm dòng" for Django formsets: clones the empty form, renumbering __prefix__ and TOTAL_FORMS.
document.querySelectorAll("fieldset.formset").forEach((fieldset) => {
  const prefix = fieldset.dataset.prefix;
  const total = fieldset.querySelector(`#id_${prefix}-TOTAL_FORMS`);
  fieldset.querySelector(".formset-add").addEventListener("click", () => {
    const index = Number(total.value);
    const html = fieldset.querySelector("template.formset-empty").innerHTML.replaceAll("__prefix__", index);
    fieldset.querySelector(".formset-rows").insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
  });
});
