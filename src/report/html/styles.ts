// The page's only stylesheet, inline: light and dark schemes, print, and the timeline bars.
export const CSS = String.raw`
:root{color-scheme:light dark;
--bg:#f6f7f9;--panel:#fff;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--accent:#0b5cad;
--crit:#a40e26;--high:#bc4c00;--med:#7d5a00;--low:#0b5cad;--info:#57606a;
--crit-bg:#ffebe9;--high-bg:#fff1e5;--med-bg:#fff8c5;--low-bg:#ddf4ff;--info-bg:#eaeef2;
--ok:#116329;--ok-bg:#dafbe1;--bad:#a40e26;--bad-bg:#ffebe9;
--A:#3b6fd8;--L:#8250df;--P:#d1711b;--S:#1a7f72;--limit:#cf222e;
--standing-admin:#ffd8d3;--standing:#fff1c2;--jit:#d5f5dc}
@media screen and (prefers-color-scheme:dark){:root{
--bg:#0d1117;--panel:#161b22;--fg:#e6edf3;--muted:#9aa5b1;--line:#30363d;--accent:#58a6ff;
--crit:#ff7b72;--high:#ffa657;--med:#e3b341;--low:#79c0ff;--info:#9aa5b1;
--crit-bg:#3d1418;--high-bg:#3a2210;--med-bg:#352a06;--low-bg:#0c2d4a;--info-bg:#21262d;
--ok:#56d364;--ok-bg:#0f2d19;--bad:#ff7b72;--bad-bg:#3d1418;
--A:#5b8ff0;--L:#a371f7;--P:#e0823a;--S:#2ea295;--limit:#ff7b72;
--standing-admin:#4a1d1d;--standing:#3d3214;--jit:#123821}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
.mono,pre,code{font-family:ui-monospace,SFMono-Regular,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.88em}
.muted{color:var(--muted)}.small{font-size:.85em}.nowrap{white-space:nowrap}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
a{color:var(--accent)}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:var(--panel);padding:6px;z-index:9}
nav.toc{position:sticky;top:0;z-index:5;background:var(--panel);border-bottom:1px solid var(--line);padding:6px 24px;display:flex;gap:18px;flex-wrap:wrap;font-size:.92em}
nav.toc a{text-decoration:none;color:var(--fg)}nav.toc a:hover,nav.toc a:focus{color:var(--accent);text-decoration:underline}
main{max-width:1280px;margin:0 auto;padding:0 24px 48px}
header.top{max-width:1280px;margin:0 auto;padding:20px 24px 4px}
.brand{font-weight:700;letter-spacing:.02em;color:var(--accent)}.logo{font-size:1.1em}
h1{font-size:1.6em;margin:.2em 0 .5em}
h2{font-size:1.25em;margin:0 0 .6em;padding-bottom:.3em;border-bottom:1px solid var(--line)}
h3{font-size:1.05em;margin:1.2em 0 .4em}h4{font-size:.95em;margin:1em 0 .3em}
section{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:18px 22px;margin:18px 0}
.intro{color:var(--muted);margin-top:-.2em}
dl.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(330px,1fr));gap:4px 24px;margin:0}
dl.facts div{display:flex;gap:8px}dl.facts dt{color:var(--muted);min-width:120px}dl.facts dd{margin:0;word-break:break-word}
.gate{display:inline-block;margin:14px 0 0;padding:8px 14px;border-radius:8px;font-size:1.05em}
.gate-pass{background:var(--ok-bg);color:var(--ok);border:1px solid var(--ok)}
.gate-fail{background:var(--bad-bg);color:var(--bad);border:1px solid var(--bad)}
.alert{background:var(--bad-bg);color:var(--fg);border:2px solid var(--bad);border-radius:8px;padding:10px 14px;margin:0 0 12px}
.alert strong{color:var(--bad)}.ok{color:var(--ok)}.bad{color:var(--bad)}.missing-text{color:var(--bad);font-weight:600}
.fix{color:var(--fg)}
ul.tiles{list-style:none;display:flex;flex-wrap:wrap;gap:10px;padding:0;margin:0 0 10px}
.tile{min-width:118px;border:1px solid var(--line);border-radius:8px;background:var(--bg)}
.tile>a,.tile>span:first-child{display:block}
.tile a,.tile{color:inherit;text-decoration:none}
.tile a,.tiles-paths .tile,.tile-waived{padding:8px 14px}
.tile .n{display:block;font-size:1.7em;font-weight:700;line-height:1.2}.tile .l{color:var(--muted);font-size:.9em}
.tile-critical{border-left:5px solid var(--crit)}.tile-critical .n{color:var(--crit)}
.tile-high{border-left:5px solid var(--high)}.tile-high .n{color:var(--high)}
.tile-medium{border-left:5px solid var(--med)}.tile-medium .n{color:var(--med)}
.tile-low{border-left:5px solid var(--low)}.tile-low .n{color:var(--low)}
.tile-info{border-left:5px solid var(--info)}.tile-warn{border-left:5px solid var(--high)}
.tile-zero .n{color:var(--muted)}
.sev{display:inline-block;min-width:5.2em;text-align:center;font-size:.78em;font-weight:700;text-transform:uppercase;letter-spacing:.04em;border-radius:4px;padding:1px 6px;border:1px solid}
.sev-critical{color:var(--crit);background:var(--crit-bg)}.sev-high{color:var(--high);background:var(--high-bg)}
.sev-medium{color:var(--med);background:var(--med-bg)}.sev-low{color:var(--low);background:var(--low-bg)}.sev-info{color:var(--info);background:var(--info-bg)}
.badge{font-size:.78em;border-radius:4px;padding:1px 6px;border:1px solid var(--line)}.badge-waived{color:var(--muted);background:var(--info-bg)}
.prov{font-size:.78em;border-radius:4px;padding:0 6px;border:1px solid var(--line);white-space:nowrap}
.prov-collected{color:var(--ok);background:var(--ok-bg)}.prov-declared{color:var(--low);background:var(--low-bg)}
.prov-default{color:var(--med);background:var(--med-bg)}.prov-missing{color:var(--bad);background:var(--bad-bg);font-weight:700}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.93em}
th,td{text-align:left;vertical-align:top;padding:6px 10px;border-bottom:1px solid var(--line)}
thead th{background:var(--bg);font-weight:600}
.row-missing{background:var(--bad-bg)}.row-missing th{color:var(--bad)}.row-bad td:first-child{border-left:4px solid var(--bad)}
form.filters{display:flex;flex-wrap:wrap;gap:10px 14px;align-items:end;margin:0 0 12px;padding:10px 12px;background:var(--bg);border:1px solid var(--line);border-radius:8px}
form.filters[hidden]{display:none}
form.filters label{display:flex;flex-direction:column;font-size:.85em;color:var(--muted);gap:2px}
form.filters .grow{flex:1;min-width:220px}
select,input,button{font:inherit;color:var(--fg);background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:4px 8px;max-width:360px}
input[type=search]{max-width:none;width:100%}
button{cursor:pointer}button:hover{border-color:var(--accent)}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.count{margin:0;width:100%;font-size:.9em;color:var(--muted)}
ol.findings{list-style:none;padding:0;margin:0}
.finding{border:1px solid var(--line);border-left-width:5px;border-radius:6px;margin:6px 0;background:var(--panel)}
.finding[hidden]{display:none}
.sevline-critical{border-left-color:var(--crit)}.sevline-high{border-left-color:var(--high)}.sevline-medium{border-left-color:var(--med)}.sevline-low{border-left-color:var(--low)}.sevline-info{border-left-color:var(--info)}
.finding{padding:6px 12px}
.finding summary{cursor:pointer;padding:3px 0;color:var(--accent);font-size:.9em}
.f-head{margin:0 0 2px;display:flex;flex-wrap:wrap;gap:4px 8px;align-items:baseline}
.f-res{font-weight:600}.f-acct{font-size:.85em;border:1px solid var(--line);border-radius:4px;padding:0 5px;white-space:nowrap}
.f-impact{margin-left:auto;font-size:.88em;color:var(--muted);white-space:nowrap}
.f-msg{margin:2px 0 4px}
.f-more[open]{padding-bottom:6px}
.finding h5{font-size:.9em;margin:.8em 0 .3em}
table.paths{font-size:.85em;margin:4px 0}.aid{font-family:ui-monospace,SFMono-Regular,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.8em;color:var(--muted)}.path-common{font-size:.88em;margin:4px 0;display:flex;flex-wrap:wrap;gap:2px 16px}table.paths th,table.paths td{padding:3px 8px}
.env{font-size:.75em;border-radius:3px;padding:0 4px;border:1px solid var(--line)}.env-prod{color:var(--bad);border-color:var(--bad)}
article.rule-group{border-top:2px solid var(--line);border-left:5px solid var(--line);padding:6px 0 10px 14px;margin:16px 0 0}
article.rule-group[hidden]{display:none}
article.rule-group h3{margin:.2em 0 .3em}
.rule-counts{margin:0;color:var(--muted)}.remediation{margin:.4em 0}
.rule-about summary{cursor:pointer;color:var(--muted);font-size:.9em}
.share{margin:0;width:100%}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.st{font-size:.8em;font-weight:700;border-radius:4px;padding:1px 6px;white-space:nowrap;border:1px solid currentColor}
.st-failed{color:var(--bad);background:var(--bad-bg)}.st-passed{color:var(--ok);background:var(--ok-bg)}.st-not-evaluable{color:var(--med);background:var(--med-bg)}
td.warn{color:var(--med);font-weight:700}td.good{color:var(--ok)}td.bad{font-weight:700}
table.controls ul.refs{font-size:.88em;list-style:none;padding:0}table.controls ul.refs li{display:inline}table.controls ul.refs li:not(:last-child)::after{content:" · "}
details.fw{margin:6px 0}details.fw summary{cursor:pointer}
pre.evidence{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:8px 10px;overflow:auto;max-height:320px;white-space:pre-wrap;word-break:break-word}
.waiver{background:var(--info-bg);padding:6px 10px;border-radius:6px}
ul.refs{margin:0;padding-left:20px}
.empty{color:var(--muted);font-style:italic}
ul.tl-legend{list-style:none;display:flex;flex-wrap:wrap;gap:6px 18px;padding:0;margin:0 0 12px;font-size:.9em}
.key{display:inline-block;width:14px;height:14px;border-radius:3px;vertical-align:-2px;margin-right:5px;border:1px solid var(--line)}
.key-A{background:var(--A)}.key-L{background:var(--L)}.key-P{background:var(--P)}.key-S{background:var(--S)}
.key-hatch{background:repeating-linear-gradient(135deg,var(--muted) 0 3px,transparent 3px 6px)}
.key-limit{width:4px;background:var(--limit);border:0}
.key-standing-admin{background:var(--standing-admin)}.key-standing{background:var(--standing)}.key-jit{background:var(--jit)}
.key-nomfa{background:var(--bad);border-radius:50%}.key-other{background:var(--P);border-radius:50%}.key-drill{background:var(--ok);border-radius:50%}
.tl-axis{position:relative;height:20px;margin-top:18px;margin:0 0 2px;border-bottom:1px solid var(--line);font-size:.75em;color:var(--muted)}
.tick{position:absolute;bottom:2px;transform:translateX(-50%);white-space:nowrap}.tick-first{transform:none}.tick-last{transform:translateX(-100%)}
.axis-limit{position:absolute;top:0;bottom:-4px;border-left:3px solid var(--limit);padding-left:4px;font-weight:700;color:var(--limit);white-space:nowrap}
ol.timelines{list-style:none;padding:0;margin:0}
.tl-row{padding:10px 0 6px;border-bottom:1px solid var(--line)}
.tl-head{display:flex;flex-wrap:wrap;gap:4px 8px;align-items:baseline;margin-bottom:5px}
.tl-who{font-weight:600}.tl-total{margin-left:auto;font-weight:700;white-space:nowrap}.tl-total-over{color:var(--bad)}
.tl-bar{position:relative;display:flex;height:26px;background-image:linear-gradient(90deg,transparent calc(100% - 1px),var(--line) calc(100% - 1px));border-radius:4px}
.seg{position:relative;height:100%;overflow:hidden;color:#fff;font-size:.78em;font-weight:600;display:flex;align-items:center;justify-content:center;white-space:nowrap;border-right:1px solid var(--panel);min-width:2px}
.seg-l{padding:0 4px;text-shadow:0 0 2px rgba(0,0,0,.6)}
.seg-A{background:var(--A)}.seg-L{background:var(--L)}.seg-P{background:var(--P)}.seg-S{background:var(--S)}
.prov-fill-default,.prov-fill-declared{background-image:repeating-linear-gradient(135deg,rgba(255,255,255,.28) 0 5px,transparent 5px 10px)}
.seg-unknown{background:transparent;border:2px dashed var(--bad);color:var(--bad);text-shadow:none}
.seg-unbounded{background-image:linear-gradient(90deg,var(--L),var(--crit));justify-content:flex-start;border-right:0;border-radius:0 4px 4px 0}
.limit{position:absolute;top:-6px;bottom:-6px;width:0;border-left:3px solid var(--limit)}
.tl-detail summary{cursor:pointer;font-size:.88em;color:var(--muted);margin-top:4px}
ul.tl-terms{list-style:none;padding:0 0 0 8px;margin:4px 0;font-size:.88em}
table.matrix td ul{list-style:none;margin:0;padding:0}table.matrix td li{margin:1px 0}table.matrix{font-size:.88em}table.matrix th[scope=row]{white-space:nowrap}
.cell-standing-admin{background:var(--standing-admin)}.cell-standing{background:var(--standing)}.cell-jit{background:var(--jit)}
.acc{display:inline-block;font-size:.72em;font-weight:700;text-transform:uppercase;border-radius:3px;padding:0 4px;min-width:4.4em;text-align:center}
.acc-standing{color:var(--bad);border:1px solid var(--bad)}.acc-jit{color:var(--ok);border:1px solid var(--ok)}
.tier{font-size:.72em;color:var(--muted)}.who-standing{font-weight:600}
svg.activity{width:100%;min-width:720px;height:auto;display:block;margin-bottom:10px}
svg .grid{stroke:var(--line);stroke-dasharray:3 3}svg .laneline{stroke:var(--line)}svg .now{stroke:var(--accent);stroke-width:2}
svg .axis,svg .lane{fill:var(--muted);font-size:12px;font-family:inherit}svg .lane{fill:var(--fg)}
svg .ev-nomfa circle{fill:var(--bad)}svg .ev-other circle{fill:var(--P)}svg .ev-drill circle{fill:var(--ok)}
svg circle{stroke:var(--panel);stroke-width:2}
ul.diff{padding-left:18px}ul.diff>li{margin:3px 0}
.diff-added>li::marker{content:"+ ";color:var(--ok)}.diff-removed>li::marker{content:"− ";color:var(--bad)}.diff-changed>li::marker{content:"~ ";color:var(--med)}
del{color:var(--bad)}ins{color:var(--ok);text-decoration:none;font-weight:600}
footer{max-width:1280px;margin:0 auto;padding:0 24px 30px;color:var(--muted);font-size:.85em}
@media print{
:root{--bg:#fff;--panel:#fff;--fg:#000;--muted:#444;--line:#bbb;color-scheme:light}
body{font-size:11pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}
nav.toc,form.filters,.skip,noscript{display:none!important}
.scroll{overflow:visible}table{font-size:9pt}main,header.top,footer{max-width:none;padding-left:0;padding-right:0}
section{border:0;border-top:2px solid #000;border-radius:0;padding:10px 0;margin:10px 0}
.finding,.tl-row,tr{break-inside:avoid}.finding[hidden],article.rule-group[hidden]{display:block}
h2{break-after:avoid}pre.evidence{max-height:none}
a{color:inherit;text-decoration:none}
}
.cut{margin:.5rem 0;padding:.4rem .7rem;border-left:4px solid var(--med);background:var(--med-bg);color:var(--fg)}
`;
