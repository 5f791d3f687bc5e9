// Small behaviours declared in the HTML, so that pages need no inline script or on...= handler (the Content
// Security Policy refuses both):
//   <form data-confirm="Question?">  asks before submitting; Cancel keeps the page as it is.
//   <select data-autosubmit>         submits its form when the choice changes (a <noscript> button does it without JS).
(function () {
  document.addEventListener("submit", function (event) {
    const question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
  document.addEventListener("change", function (event) {
    const field = event.target;
    if (!field.matches || !field.matches("select[data-autosubmit]") || !field.form) return;
    if (field.form.requestSubmit) field.form.requestSubmit();
    else field.form.submit(); // browsers before 2022: no submit event, so no data-confirm on such a form
  });
})();
