// The flow editor's add and remove buttons, done in the page instead of by a reload: each "Add"
// clones a blank part from the page's <template id="flow-tpl-…">, each "Remove" takes its part
// out, then every field is renamed by where it now stands (`flow.rules[0].paths[1].offers[2].weight`),
// the names the server's form parser reads. Without JavaScript the buttons post the form as before.
(() => {
  const form = document.querySelector("form.flow");
  const blank = (kind) => document.getElementById(`flow-tpl-${kind}`)?.content.firstElementChild;
  if (!form || !blank("path")) return;
  const kids = (parent, selector) => [...parent.children].filter((e) => e.matches(selector));

  /** The place of the innermost rule, path or row holding `el`, as the server names it. */
  const placeOf = (el) => {
    const rule = el.closest("fieldset.rule");
    const path = el.closest("fieldset.path");
    const row = el.closest("tr[data-kind]");
    let at = "flow";
    if (rule) at = `flow.rules[${kids(form, "fieldset.rule").indexOf(rule)}]`;
    if (path)
      at = rule
        ? `${at}.paths[${kids(rule, "fieldset.path").indexOf(path)}]`
        : `flow.defaultPaths[${kids(form, "fieldset.path").indexOf(path)}]`;
    if (row) {
      const kind = row.dataset.kind;
      at += `.${kind}[${kids(row.parentElement, `tr[data-kind="${kind}"]`).indexOf(row)}]`;
    }
    return at;
  };

  const renumber = () => {
    for (const el of form.querySelectorAll("[name], [data-leaf]")) {
      if (el.name === "op") {
        const verb = el.value.split(":")[0];
        if (el.value.includes(":")) el.value = `${verb}:${placeOf(el)}`;
        continue;
      }
      const leaf = el.dataset.leaf ?? (el.name.startsWith("field:") ? "field:" : el.name.split(".").pop());
      el.removeAttribute("data-leaf");
      el.name = leaf === "field:" ? `field:${placeOf(el)}` : `${placeOf(el)}.${leaf}`;
    }
    // Labels that count: "Offer 2 (/click/2)", "Weight of lander 3", "Rule 1: …".
    for (const tbody of form.querySelectorAll("tbody")) {
      for (const kind of ["landers", "offers", "conditions"])
        kids(tbody, `tr[data-kind="${kind}"]`).forEach((row, k) => {
          for (const el of row.querySelectorAll("[aria-label]"))
            el.setAttribute("aria-label", el.getAttribute("aria-label").replace(/\d+$/, String(k + 1)));
          if (kind === "offers") row.cells[0].textContent = `Offer ${k + 1} (/click/${k + 1})`;
        });
    }
    kids(form, "fieldset.rule").forEach((rule, i) => {
      const name = rule.querySelector(":scope > label > input");
      rule.querySelector(":scope > legend").textContent = `Rule ${i + 1}: ${name?.value ?? ""}`;
      const menu = rule.querySelector(":scope > p > select");
      menu?.setAttribute("aria-label", `Field of a new condition in rule ${i + 1}`);
    });
  };

  const add = (verb, button) => {
    const at = button.parentElement; // the <p> holding the button
    const tbodyOf = (part) => kids(part, "table")[0].tBodies[0];
    let node;
    if (verb === "addRule") {
      node = blank("rule").cloneNode(true);
      at.before(node);
      node.querySelector(":scope > label > input").value = `Rule ${kids(form, "fieldset.rule").length}`;
    } else if (verb === "addPath") {
      node = blank("path").cloneNode(true);
      at.before(node);
      const n = kids(node.parentElement, "fieldset.path").length;
      node.querySelector(":scope > label > input[type=text]").value = `Path ${n}`;
      node.querySelector(":scope > legend").textContent = `Path ${n}`;
    } else if (verb === "addCondition") {
      const field = at.querySelector("select").value;
      const tpl = document.getElementById("flow-tpl-conditions");
      node = blank("conditions").querySelector("tr").cloneNode(true);
      node.querySelector("select").value = field;
      node.querySelector("textarea").placeholder = JSON.parse(tpl.dataset.hints || "{}")[field] ?? "";
      tbodyOf(button.closest("fieldset.rule")).append(node);
    } else if (verb === "addLander" || verb === "addOffer") {
      const kind = verb === "addLander" ? "landers" : "offers";
      node = blank(kind).querySelector("tr").cloneNode(true);
      const tbody = tbodyOf(button.closest("fieldset.path"));
      if (kind === "landers") tbody.insertBefore(node, tbody.querySelector('tr[data-kind="offers"]'));
      else tbody.append(node);
    } else return false;
    renumber();
    node.querySelector("input:not([type=hidden]), select, textarea")?.focus();
    return true;
  };

  form.addEventListener("click", (event) => {
    const button = event.target.closest('button[name="op"]');
    if (!button || button.value === "save") return;
    const verb = button.value.split(":")[0];
    if (verb === "remove") {
      button.closest("tr[data-kind], fieldset")?.remove();
      renumber();
      event.preventDefault();
    } else if (add(verb, button)) event.preventDefault();
  });
  // A legend follows its name as it is typed, as the page shows it after a save.
  form.addEventListener("input", (event) => {
    const part = event.target.closest("fieldset");
    if (!part || event.target !== part.querySelector(":scope > label > input")) return;
    if (part.matches(".path")) part.querySelector(":scope > legend").textContent = event.target.value || "Path";
    else renumber();
  });
})();
