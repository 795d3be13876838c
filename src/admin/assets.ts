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
.menu { margin-left:auto; position:relative; }
.menu > summary { cursor:pointer; list-style:none; padding:.25rem .7rem; border:1px solid rgba(255,255,255,.6); border-radius:4px; }
.menu > summary::-webkit-details-marker { display:none; }
.menu > summary::after { content:" ▾"; }
.menu .links { position:absolute; right:0; top:calc(100% + .6rem); z-index:10; min-width:13rem; display:flex; flex-direction:column; gap:.7rem; padding:.8rem 1rem; background:var(--fg); border-radius:0 0 6px 6px; }
/* Wide screens show the links in a row and no "Menu": the closed <details> is opened by style. */
@supports selector(::details-content) {
  @media (min-width: 48rem) {
    .menu { flex:1; margin-left:0; }
    .menu > summary { display:none; }
    .menu::details-content { content-visibility:visible; }
    .menu .links { position:static; min-width:0; flex-direction:row; flex-wrap:wrap; align-items:center; gap:.25rem 1rem; padding:0; background:none; }
    .menu .links form { margin-left:auto; }
  }
}
main { max-width:72rem; margin:0 auto; padding:1rem; }
h1 { font-size:1.5rem; margin:.5rem 0 1rem; }
h2 { font-size:1.15rem; margin:1.5rem 0 .5rem; }
table { border-collapse:collapse; width:100%; margin:.5rem 0 1rem; }
th, td { text-align:left; padding:.4rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:var(--bg); font-weight:600; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
th a { color:inherit; text-decoration:none; } th a:hover { text-decoration:underline; }
/* Wide tables scroll sideways inside their box, never the page (phones). */
.scroll { overflow-x:auto; margin:.5rem 0 1rem; } .scroll > table { margin:0; }
@media (max-width: 47.99rem) {
  :not(.scroll) > table { display:block; overflow-x:auto; }
  main { padding:.75rem; }
  form.stack { padding:.75rem; }
  .counts { gap:.6rem; } .counts div { flex:1 1 9rem; min-width:0; }
}
form.stack { display:grid; gap:.6rem; max-width:40rem; padding:1rem; border:1px solid var(--line); border-radius:6px; background:var(--bg); }
form.inline { display:inline; }
.pair { display:flex; gap:.5rem; flex-wrap:wrap; margin-bottom:.4rem; }
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
.crumbs ol, .dims ul { list-style:none; margin:0; padding:0; display:flex; flex-wrap:wrap; gap:.3rem .5rem; align-items:baseline; }
.crumbs { margin:.75rem 0 .5rem; font-weight:600; }
.crumbs li + li::before { content:"›"; margin-right:.5rem; color:var(--muted); }
.crumbs li.by::before { content:none; }
.crumbs li.by { font-weight:400; }
.dims { display:flex; flex-wrap:wrap; gap:.3rem .5rem; align-items:baseline; margin:.5rem 0 1rem; }
.dims a, .dims strong { display:inline-block; padding:.05rem .5rem; border:1px solid var(--line); border-radius:999px; font-size:13px; text-decoration:none; }
.dims strong { background:var(--accent); border-color:var(--accent); color:#fff; }
.kpis div { display:grid; gap:.15rem; }
.change { font-size:13px; } .change.good { color:var(--ok); } .change.bad { color:var(--bad); }
.chart { width:100%; margin-bottom:1rem; }
details.figures > summary { cursor:pointer; font-weight:600; margin:.5rem 0; }
/* Range forms: one compact row; the presets above the fields. */
form.range-form { display:flex; flex-wrap:wrap; align-items:end; gap:.5rem .75rem; max-width:none; padding:.6rem .8rem; }
form.range-form > label { min-width:9rem; } form.range-form > p { margin:0; }
form.range-form input[type=date] { padding:.3rem .4rem; border:1px solid var(--line); border-radius:4px; }
nav.presets { flex-basis:100%; display:flex; flex-wrap:wrap; gap:.3rem .5rem; }
nav.presets a { padding:.05rem .5rem; border:1px solid var(--line); border-radius:999px; font-size:13px; text-decoration:none; background:#fff; }
nav.presets a[aria-current] { background:var(--accent); border-color:var(--accent); color:#fff; }
.bot-switch { display:flex; flex-wrap:wrap; gap:.5rem; align-items:center; margin:.5rem 0; }
.bot-switch label { display:flex; gap:.3rem; align-items:center; }
/* The report uses the screen's width; its table scrolls inside itself, the name column stays. */
main.wide { max-width:none; }
.report-table { max-height:75vh; overflow:auto; border:1px solid var(--line); }
.report-table th, .report-table td { white-space:nowrap; }
.report-table thead th { position:sticky; top:0; z-index:2; }
.report-table th:first-child, .report-table td:first-child { position:sticky; left:0; z-index:1; background:#fff; max-width:22rem; overflow:hidden; text-overflow:ellipsis; box-shadow:1px 0 0 var(--line); }
.report-table thead th:first-child { z-index:3; background:var(--bg); }
.report-table tfoot th { background:var(--bg); }
.nowrap { white-space:nowrap; word-break:normal; }
#column-picker { margin:.25rem 0; } #column-picker .choices { display:flex; flex-wrap:wrap; gap:.25rem 1rem; padding:.4rem 0; }
/* The flow editor takes the page's width, so offer and lander names in its menus show whole. */
form.stack.flow { max-width:none; } form.flow table { width:100%; } form.flow td:nth-child(2) select { width:100%; min-width:14rem; }
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
