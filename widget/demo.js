/* The demo page's sign-in (development only): stands in for the intranet's own session. */
(function () {
  "use strict";
  var form = document.getElementById("sign-in");
  var select = document.getElementById("agent");
  var signedIn = document.getElementById("signed-in");
  var name = document.getElementById("agent-name");
  var status = document.getElementById("sign-in-status");

  function show(agentName) {
    form.hidden = Boolean(agentName);
    signedIn.hidden = !agentName;
    name.textContent = agentName || "";
  }

  fetch("/dev/agents").then(function (response) { return response.json(); }).then(function (agents) {
    agents.forEach(function (agent) {
      var option = document.createElement("option");
      option.value = agent.id;
      option.textContent = agent.name;
      select.appendChild(option);
    });
    return fetch("/dev/token", { cache: "no-store" });
  }).then(function (response) {
    return response.ok ? response.json() : null;
  }).then(function (session) {
    show(session && session.name);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch("/dev/sign-in", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ agent: select.value })
    }).then(function (response) { return response.json(); }).then(function (agent) {
      if (window.AssistantRH) { window.AssistantRH.signOut(); }  // a new person: nothing of the last one
      show(agent.name);
      status.textContent = "Vous pouvez maintenant ouvrir l'Assistant RH, en bas à droite de la page.";
      document.getElementById("sign-out").focus();
    });
  });

  document.getElementById("sign-out").addEventListener("click", function () {
    fetch("/dev/sign-out", { method: "POST" }).then(function () {
      window.AssistantRH.signOut();
      show(null);
      status.textContent = "Session fermée : l'historique de la conversation a été effacé de cet onglet.";
      select.focus();
    });
  });
}());
