// The roster: progressive enhancement. Without JavaScript the radio buttons are one form
// with a save button. With it, each tap is saved at once (PUT of that one mark to the JSON
// API, with the session cookie and the form's CSRF token). A tap that could not be saved
// says so in words and is sent again: with a growing pause, and as soon as the phone is
// back online. The counts at the top follow the server's answer.
(function () {
  var form = document.querySelector("form.attendance-form[data-api]");
  if (!form || !window.fetch) return;
  var token = form.querySelector("input[name=csrf_token]").value;
  var live = document.getElementById("roster-live");
  var wanted = {}; // user id -> the status still to be saved
  var busy = {}; // user id -> a request is on its way
  var pause = 2000;
  var timer = null;

  function row(id) {
    return form.querySelector("fieldset[data-user='" + id + "']");
  }

  function show(id, state) {
    var fieldset = row(id);
    var text = form.getAttribute("data-" + state);
    fieldset.classList.toggle("unsaved", state === "unsaved");
    document.getElementById("mark-" + id + "-state").textContent = text;
    if (state !== "saving") {
      live.textContent = fieldset.querySelector("legend").firstChild.textContent.trim() + ": " + text;
    }
  }

  function counts(roster) {
    Object.keys(roster.counts || {}).forEach(function (name) {
      var cell = document.querySelector("[data-count='" + name + "']");
      if (cell) cell.textContent = roster.counts[name];
    });
  }

  function send(id) {
    if (busy[id] || !wanted[id]) return;
    var status = wanted[id];
    busy[id] = true;
    show(id, "saving");
    fetch(form.getAttribute("data-api"), {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": token },
      body: JSON.stringify({ marks: [{ user_id: Number(id), status: status }] }),
    })
      .then(function (response) {
        if (!response.ok) throw response;
        return response.json();
      })
      .then(function (roster) {
        busy[id] = false;
        if (wanted[id] === status) delete wanted[id];
        counts(roster);
        pause = 2000;
        if (wanted[id]) send(id);
        else show(id, "saved");
      })
      .catch(function (problem) {
        busy[id] = false;
        show(id, "unsaved");
        // a refusal (403, 409, 422) stays a refusal: the save button shows why
        var refused = problem && problem.status >= 400 && problem.status < 500 && problem.status !== 408 && problem.status !== 429;
        if (!refused) later();
      });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(retry, pause);
    pause = Math.min(pause * 2, 60000);
  }

  function retry() {
    Object.keys(wanted).forEach(send);
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "radio" || input.name.indexOf("mark-") !== 0) return;
    var id = input.name.slice(5);
    wanted[id] = input.value;
    send(id);
  });
  window.addEventListener("online", retry);
})();
