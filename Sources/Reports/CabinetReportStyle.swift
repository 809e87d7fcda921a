/// The Cabinet report's stylesheet, inlined in the HTML so that the file stands alone. System
/// fonts only; colours that survive greyscale printing (the three series differ in lightness,
/// and every rating badge carries its name); A4 print rules with page breaks before major
/// sections and no table row split across pages. It must contain no `url(`, `@import` or `//`.
enum CabinetReportStyle {
    static let css = """
        :root {
          --ink: #1f2933; --muted: #52606d; --rule: #d9e2ec; --panel: #f3f6f9; --accent: #1f3a5f;
          --pledged: #b7c9dc; --expected: #7b8fa6; --delivered: #1f4e79;
        }
        * { box-sizing: border-box; }
        html { background: #e9edf2; }
        body {
          margin: 0; color: var(--ink);
          font: 15px/1.5 "Segoe UI", "Helvetica Neue", "Liberation Sans", "DejaVu Sans", Arial, sans-serif;
        }
        main { max-width: 1080px; margin: 24px auto; padding: 40px 56px 56px; background: #fff; box-shadow: 0 1px 4px rgba(31, 41, 51, 0.12); }
        header.cover { border-bottom: 4px solid var(--accent); padding-bottom: 16px; margin-bottom: 8px; }
        .kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 12px; color: var(--muted); margin: 0 0 6px; }
        h1 { font-size: 30px; line-height: 1.2; margin: 0 0 8px; color: var(--accent); font-weight: 600; }
        .subtitle { margin: 0; color: var(--muted); }
        h2 { font-size: 21px; color: var(--accent); font-weight: 600; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--rule); }
        h3 { font-size: 16px; margin: 24px 0 6px; color: var(--ink); }
        p { margin: 6px 0 10px; }
        .muted { color: var(--muted); }
        .cards { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; margin: 18px 0 8px; }
        .card { border: 1px solid var(--rule); border-top: 4px solid var(--delivered); border-radius: 4px; padding: 12px 14px; background: #fff; }
        .card .label { font-size: 12.5px; color: var(--muted); margin: 0; }
        .card .value { font-size: 22px; font-weight: 600; margin: 4px 0 2px; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .card .detail { font-size: 12.5px; margin: 0; }
        ul.points { margin: 8px 0 0; padding-left: 20px; }
        ul.points li { margin: 3px 0; }
        table { width: 100%; border-collapse: collapse; font-size: 13.5px; margin: 8px 0 18px; }
        caption { text-align: left; font-size: 13px; color: var(--muted); padding: 0 0 6px; caption-side: top; }
        th, td { padding: 6px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
        thead th { background: var(--panel); font-weight: 600; border-bottom: 2px solid #bcccdc; }
        tbody th { font-weight: 600; }
        tfoot td, tfoot th { font-weight: 600; border-top: 2px solid #bcccdc; border-bottom: none; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        thead th.num { white-space: normal; }
        .ref { white-space: nowrap; font-weight: 600; }
        table.amounts tbody th, table.amounts tfoot th { width: 26%; }
        td.title { min-width: 11em; }
        td.supplier { min-width: 8em; }
        .negative { color: #8a1c1c; }
        .badge { display: inline-block; padding: 1px 9px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; border: 1px solid; }
        .badge.good { background: #e3f2e7; color: #1d5e31; border-color: #9fcfac; }
        .badge.approaching { background: #fdf3d7; color: #6b4e00; border-color: #e8cf85; }
        .badge.improvement { background: #fde5d4; color: #8a3a00; border-color: #f0b388; }
        .badge.inadequate { background: #f9dcdc; color: #8a1c1c; border-color: #e29a9a; }
        .badge.notdue { background: #eef1f5; color: #46505c; border-color: #c8d1dc; }
        .badge::before { content: ""; display: inline-block; width: 7px; height: 7px; border-radius: 50%; background: currentColor; margin-right: 6px; vertical-align: 1px; }
        .note { background: var(--panel); border-left: 4px solid var(--expected); padding: 12px 16px; margin: 16px 0; font-size: 14px; }
        .note h2, .note h3 { margin-top: 0; border: none; padding: 0; font-size: 16px; }
        .note table { font-size: 13px; margin: 6px 0; background: #fff; }
        .empty { color: var(--muted); font-style: italic; }
        figure { margin: 12px 0 6px; }
        figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
        svg.chart { width: 100%; height: auto; display: block; }
        svg .fill-pledged { fill: var(--pledged); }
        svg .fill-expected { fill: var(--expected); }
        svg .fill-delivered { fill: var(--delivered); }
        svg .grid { stroke: #e4e9ef; stroke-width: 1; }
        svg .axis { stroke: #52606d; stroke-width: 1.2; }
        svg .unreached { fill: none; stroke: #9aa5b1; stroke-width: 1.2; stroke-dasharray: 5 4; }
        svg text { font-family: inherit; fill: var(--ink); }
        svg .tick { font-size: 12.5px; fill: var(--muted); }
        svg .value { font-size: 12.5px; font-variant-numeric: tabular-nums; }
        svg .group { font-size: 14px; font-weight: 600; }
        svg .legend { font-size: 13.5px; }
        code, .hash { font-family: "DejaVu Sans Mono", "Liberation Mono", Consolas, monospace; font-size: 12.5px; }
        .hash { word-break: break-all; }
        pre.command { background: var(--panel); border: 1px solid var(--rule); padding: 10px 12px; white-space: pre-wrap; word-break: break-all; font-size: 12.5px; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 8px 0 16px; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; }
        footer { margin-top: 32px; padding-top: 10px; border-top: 1px solid var(--rule); font-size: 12.5px; color: var(--muted); }
        @media (max-width: 760px) {
          main { padding: 20px; }
          .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); }
        }
        @media print {
          @page { size: A4; margin: 15mm 13mm 16mm; }
          html, body { background: #fff; }
          body { font-size: 10pt; }
          main { max-width: none; margin: 0; padding: 0; box-shadow: none; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          .major { break-before: page; }
          h2, h3 { break-after: avoid; }
          tr, li, .card, figure, dl.facts, pre.command { break-inside: avoid; }
          .note { padding: 8px 12px; }
          thead { display: table-header-group; }
          table { font-size: 8.5pt; }
          th, td { padding: 4px 6px; }
          .cards { gap: 8px; }
          .card { padding: 8px 10px; }
          .card .value { font-size: 14pt; }
        }
        """
}
