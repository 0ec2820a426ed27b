// Copy buttons: progressive enhancement. Without JavaScript the button stays hidden and the
// address is selectable text; with it, the button copies the address of its field.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  var field = document.getElementById(button.getAttribute("data-copy"));
  var status = document.getElementById(button.getAttribute("data-copy") + "-status");
  if (!field || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(field.value).then(function () {
      if (status) status.textContent = button.getAttribute("data-copied");
    }, function () {
      field.select();
    });
  });
});
