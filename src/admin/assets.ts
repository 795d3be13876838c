/**
 * The admin pages' only static files, served from the worker itself so the Content Security
 * Policy can stay at 'self' with no inline script or style.
 */
export const STYLESHEET = `
:root { --fg:#1d2430; --muted:#5b6677; --line:#d8dde5; --accent:#1f6feb; --bad:#b42318; --ok:#067647; --bg:#f6f8fa; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:#fff; }
header { background:var(--fg); color:#fff; }
header nav { display:flex; flex-wrap:wrap; align-items:center; gap:.25rem 1rem; max-width:72rem; margin:0 auto; padding:.6rem 1rem; }
header a { color:#fff; text-decoration:none; opacity:.85; }
header a:hover, header a[aria-current=page] { opacity:1; text-decoration:underline; }
header .brand { font-weight:700; margin-right:1rem; opacity:1; }
header form { margin-left:auto; }
main { max-width:72rem; margin:0 auto; padding:1rem; }
h1 { font-size:1.5rem; margin:.5rem 0 1rem; }
h2 { font-size:1.15rem; margin:1.5rem 0 .5rem; }
table { border-collapse:collapse; width:100%; margin:.5rem 0 1rem; }
th, td { text-align:left; padding:.4rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:var(--bg); font-weight:600; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
form.stack { display:grid; gap:.6rem; max-width:40rem; padding:1rem; border:1px solid var(--line); border-radius:6px; background:var(--bg); }
form.inline { display:inline; }
label { display:grid; gap:.2rem; font-weight:600; }
label.check { display:flex; gap:.4rem; align-items:center; }
input, select, textarea, button { font:inherit; }
input[type=text], input[type=url], input[type=password], input[type=number], select, textarea { padding:.35rem .5rem; border:1px solid var(--line); border-radius:4px; width:100%; background:#fff; }
textarea { font-family:ui-monospace, SFMono-Regular, Menlo, monospace; font-size:13px; }
button, .button { padding:.35rem .8rem; border:1px solid var(--accent); border-radius:4px; background:var(--accent); color:#fff; cursor:pointer; text-decoration:none; display:inline-block; }
button.secondary, .button.secondary { background:#fff; color:var(--accent); }
button.danger { background:#fff; color:var(--bad); border-color:var(--bad); }
code, .mono { font-family:ui-monospace, SFMono-Regular, Menlo, monospace; font-size:13px; word-break:break-all; }
.copy { display:flex; gap:.4rem; align-items:center; }
.copy input { flex:1; font-family:ui-monospace, monospace; font-size:13px; }
.muted { color:var(--muted); }
.error { color:var(--bad); }
.notice { padding:.6rem .8rem; border-radius:4px; margin:.5rem 0 1rem; border:1px solid var(--line); background:var(--bg); }
.notice.bad { border-color:var(--bad); color:var(--bad); background:#fef3f2; }
.notice.good { border-color:var(--ok); color:var(--ok); background:#ecfdf3; }
.counts { display:flex; gap:1.5rem; flex-wrap:wrap; margin:.5rem 0 1rem; }
.counts div { padding:.5rem .8rem; border:1px solid var(--line); border-radius:6px; min-width:7rem; }
.counts strong { display:block; font-size:1.4rem; }
.login { max-width:24rem; margin:4rem auto; }
`;

// Copy buttons: <button data-copy="text">. Falls back to selecting the field next to it.
export const COPY_SCRIPT = `
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("button[data-copy]");
  if (!button) return;
  var text = button.getAttribute("data-copy");
  var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 1500); };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, function () {});
  } else {
    var field = button.parentNode.querySelector("input");
    if (field) { field.select(); document.execCommand("copy"); done(); }
  }
});
`;
