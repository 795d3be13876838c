// The report's column picker: a checkbox per column of table#report, the choice kept in
// localStorage so a phone shows the columns its owner chose. Served from /admin/assets (no
// inline script); without JavaScript every column shows and the picker stays hidden.
(() => {
  const table = document.getElementById("report");
  const picker = document.getElementById("column-picker");
  if (!table || !picker) return;
  const KEY = "clicktrail.report.hiddenColumns";
  const headers = [...table.querySelectorAll("thead th")];
  let hidden = [];
  try {
    hidden = JSON.parse(localStorage.getItem(KEY) || "[]");
  } catch {
    hidden = [];
  }
  const apply = () => {
    headers.forEach((th, i) => {
      if (i === 0) return; // the row's name always shows
      const off = hidden.includes(th.dataset.field);
      for (const row of table.rows) if (row.cells[i]) row.cells[i].hidden = off;
    });
  };
  const list = picker.querySelector(".choices");
  headers.slice(1).forEach((th) => {
    const label = document.createElement("label");
    label.className = "check";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = !hidden.includes(th.dataset.field);
    box.addEventListener("change", () => {
      hidden = box.checked ? hidden.filter((f) => f !== th.dataset.field) : [...hidden, th.dataset.field];
      try {
        localStorage.setItem(KEY, JSON.stringify(hidden));
      } catch {
        // Private windows may refuse storage: the choice then lasts for this page only.
      }
      apply();
    });
    label.append(box, ` ${th.textContent.replace(/[▲▼]/g, "").trim()}`);
    list.append(label);
  });
  picker.hidden = false;
  apply();
})();
