// Behaviours of the public portal's agency pages, declared in the HTML (the Content Security Policy refuses inline
// script):
//   <button data-print>                 prints the page (the posting list for the notice board);
//   <button data-copy="element-id">     copies the text of that element (the iframe snippet) and says so.
(function () {
  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-print], [data-copy]");
    if (!button) return;
    if (button.hasAttribute("data-print")) {
      window.print();
      return;
    }
    const source = document.getElementById(button.dataset.copy);
    if (!source) return;
    const text = source.value !== undefined ? source.value : source.textContent;
    const done = function () {
      button.textContent = "Đã sao chép";
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      source.select();
      if (document.execCommand("copy")) done();
    }
  });
})();
