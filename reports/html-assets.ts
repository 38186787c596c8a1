// The HTML report's own stylesheet and script: constants, never data (the page's CSP allows exactly
// these two by their hashes). .badge comes before the .r-* status classes: at equal specificity the
// later rule wins, so a coverage badge takes its status's colours.

export const PAGE_STYLE = `
:root{--fail:#cf222e;--pass:#1a7f37;--warn:#9a6700;--muted:#6e7781;--line:#d0d7de;--bg:#f6f8fa;--waive:#bf8700;--info:#0969da}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;padding:16px 24px;color:#1f2328}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;border-bottom:1px solid var(--line);padding-bottom:4px;margin-top:28px}h3{font-size:15px;margin:18px 0 4px}
h4{font-size:14px;margin:0 0 4px}h5{margin:10px 0 4px}h6{margin:8px 0 2px;font-size:12px;text-transform:uppercase;color:var(--muted)}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}pre{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:8px;overflow:auto;max-height:420px;white-space:pre-wrap;word-break:break-word}
.op{color:var(--muted);margin:0 0 12px}.verdict{font-size:17px;padding:10px 14px;border-radius:6px;border:1px solid}
.v-conformant{background:#dafbe1;border-color:var(--pass)}.v-not_conformant{background:#ffebe9;border-color:var(--fail)}.v-inconclusive{background:#fff8c5;border-color:var(--warn)}
#run-warnings{background:#fff8c5;border:1px solid var(--warn);border-radius:6px;padding:4px 14px;margin:10px 0}#run-warnings h2{border:0;margin:6px 0;font-size:15px}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:12px 0}.facts dt{color:var(--muted)}.facts dd{margin:0;word-break:break-all}
.tiles{display:flex;flex-wrap:wrap;gap:8px;list-style:none;padding:0}.tile{border:1px solid var(--line);border-radius:6px;padding:6px 12px;min-width:92px}.tile .n{display:block;font-size:20px;font-weight:600}
.pictures{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:8px;overflow:auto;max-width:100%}figcaption{color:var(--muted);margin-bottom:6px}
.picture .label{font:11px system-ui,sans-serif;fill:#1f2328}.picture .small{font-size:10px}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;border:1px solid var(--line);background:var(--bg)}
.r-failed{fill:var(--fail);background:var(--fail);color:#fff}.r-passed{fill:var(--pass);background:var(--pass);color:#fff}.r-waived{fill:var(--waive);background:var(--waive);color:#1f2328}
.r-not_observed{fill:#afb8c1;background:#afb8c1}.r-not_tested{fill:#fff;stroke:#8c959f;stroke-dasharray:2 2;background:#fff;border:1px dashed #8c959f}
.st-doc{fill:var(--info)}.st-undoc{fill:var(--fail)}.st-missing{fill:none}.st-none{fill:var(--warn)}.t-bar{fill:var(--info)}
#filters{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid var(--line);padding:8px 0;display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin-top:20px}
#filters fieldset{border:1px solid var(--line);border-radius:6px;padding:2px 8px;margin:0}#filters label{margin-right:8px;white-space:nowrap}#f-count{color:var(--muted)}
.o-failed,.o-timeout{background:#ffebe9;border-color:var(--fail)}.o-error{background:#fbefff;border-color:#8250df}.o-passed{background:#dafbe1;border-color:var(--pass)}
.o-warning{background:#fff8c5;border-color:var(--warn)}.o-waived{background:#fff1e5;border-color:var(--waive)}
.group{border-left:3px solid var(--fail);padding-left:12px;margin:16px 0}#warnings .group{border-color:var(--warn)}
blockquote{margin:4px 0;padding:2px 10px;border-left:3px solid var(--line);color:#424a53}.note,.meta{color:var(--muted)}.rule{margin:4px 0}
.case{border:1px solid var(--line);border-radius:6px;padding:10px;margin:10px 0}.sides{display:grid;grid-template-columns:1fr 1fr;gap:12px}
@media (max-width:800px){.sides{grid-template-columns:1fr}}
.headers{font-size:12px;border-collapse:collapse;margin-bottom:4px}.headers th{text-align:left;color:var(--muted);padding-right:8px;font-weight:normal;vertical-align:top}
pre.json .k{color:#0550ae}pre.json .s{color:#0a3069}pre.json .n{color:#953800}mark{background:#ffd8d3;outline:2px solid var(--fail);border-radius:2px}
table{border-collapse:collapse}td,th{border-bottom:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
.cases{width:100%;font-size:12px}.matrix{margin:6px 0}.matrix summary,.reason summary{cursor:pointer;font-weight:600}
footer{margin:32px 0 8px;color:var(--muted);font-size:12px}[hidden]{display:none!important}
`;

export const PAGE_SCRIPT = `
(() => {
  const all = (s, el = document) => Array.from(el.querySelectorAll(s));
  const boxes = all('#filters input[name=outcome]');
  const suite = document.getElementById('f-suite');
  const table = document.getElementById('f-table');
  const count = document.getElementById('f-count');
  const tables = new Set();
  for (const el of all('[data-tables]')) for (const t of el.dataset.tables.split('|')) if (t) tables.add(t);
  const rank = (t) => { const m = /^Table (\\d+)$/.exec(t); return m ? Number(m[1]) : 1000; };
  for (const t of [...tables].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))) table.add(new Option(t, t));
  const apply = () => {
    const on = new Set(boxes.filter((b) => b.checked).map((b) => b.value));
    let rows = 0;
    let shown = 0;
    for (const el of all('[data-outcome]')) {
      const ok = on.has(el.dataset.outcome) && (!suite.value || el.dataset.suite === suite.value) &&
        (!table.value || el.dataset.tables.split('|').includes(table.value));
      el.hidden = !ok;
      if (el.tagName === 'TR') { rows++; if (ok) shown++; }
    }
    for (const g of all('[data-group]')) g.hidden = !g.querySelector('[data-outcome]:not([hidden])');
    for (const m of all('details.matrix')) m.hidden = !!table.value && m.dataset.tables !== table.value;
    count.textContent = shown + ' of ' + rows + ' cases shown';
  };
  for (const el of [...boxes, suite, table]) el.addEventListener('change', apply);
  apply();
})();
`;
