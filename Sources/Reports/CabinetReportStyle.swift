/// The Cabinet report's stylesheet, inlined in the HTML so that the file stands alone. System
/// fonts only; colours that survive greyscale printing (the series differ in lightness, and every
/// rating badge carries its name); A4 print rules with page numbers and the council's name in the
/// page margin, a page break only before the one-page summary, the detail and the appendix, and
/// no table row, chart or summary box split across pages. It must contain no `url(`, `@import`
/// or `//`.
enum CabinetReportStyle {
    /// The stylesheet for `m`: the page margins name its council and period.
    static func css(_ m: CabinetReportModel) -> String {
        let footer = cssString("\(m.scopeName) · Social value report \(m.period) · ledger position \(m.position)")
        return base + """

            @page {
              size: A4; margin: 15mm 14mm 17mm;
              @bottom-left { content: \(footer); font: 7.5pt "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: #52606d; }
              @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 7.5pt "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: #52606d; }
            }
            @page :first { @bottom-left { content: none; } }
            """
    }

    /// `text` as a CSS string literal: every character that is not a letter, digit, space or a
    /// few harmless marks becomes a hexadecimal escape, so that ledger text can neither close the
    /// string nor the style element, nor spell `url(` or `//`.
    static func cssString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", " ", "-", ",", ".", "·", "_": result.unicodeScalars.append(scalar)
            default:
                if scalar.value > 0x7F, scalar.properties.isAlphabetic { result.unicodeScalars.append(scalar); continue }
                result += "\\" + String(scalar.value, radix: 16) + " "
            }
        }
        return result + "\""
    }

    static let base = """
        :root {
          --ink: #1f2933; --muted: #52606d; --rule: #d9e2ec; --panel: #f3f6f9; --accent: #1f3a5f;
          --pledged: #b7c9dc; --expected: #7d91a8; --delivered: #1f4e79; --beyond: #9fb8d3;
        }
        * { box-sizing: border-box; }
        html { background: #e9edf2; }
        body {
          margin: 0; color: var(--ink);
          font: 15px/1.5 "Segoe UI", "Helvetica Neue", "Liberation Sans", "DejaVu Sans", Arial, sans-serif;
        }
        main { max-width: 1080px; margin: 24px auto; padding: 40px 56px 56px; background: #fff; box-shadow: 0 1px 4px rgba(31, 41, 51, 0.12); }
        header.front { border-bottom: 4px solid var(--accent); padding-bottom: 14px; margin-bottom: 8px; }
        .council { font-size: 15px; font-weight: 700; letter-spacing: 0.02em; margin: 0 0 2px; color: var(--accent); }
        .kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 12px; color: var(--muted); margin: 0 0 6px; }
        .meeting, .report-of, .part { margin: 0; font-weight: 600; }
        h1 { font-size: 27px; line-height: 1.2; margin: 14px 0 6px; color: var(--accent); font-weight: 600; }
        .subtitle, .lede { margin: 0 0 8px; color: var(--muted); }
        dl.front-facts { display: grid; grid-template-columns: 15em 1fr; gap: 5px 18px; margin: 14px 0 0; font-size: 14px; }
        dl.front-facts dt { font-weight: 600; }
        dl.front-facts dd { margin: 0; }
        h2 { font-size: 21px; color: var(--accent); font-weight: 600; margin: 34px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--rule); }
        h3 { font-size: 16px; margin: 20px 0 6px; color: var(--ink); }
        p { margin: 6px 0 10px; }
        .muted { color: var(--muted); }
        .small { font-size: 12.5px; }
        .recommendation { border-left: 4px solid var(--accent); padding-left: 14px; }
        .none-given { color: var(--muted); font-style: italic; }
        .ratings { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 10px; margin: 12px 0 8px; }
        .rating-box { border: 1px solid var(--rule); border-top-width: 5px; border-radius: 4px; padding: 8px 10px; text-align: center; }
        .rating-box .count { font-size: 30px; font-weight: 700; margin: 0; line-height: 1.1; font-variant-numeric: tabular-nums; }
        .rating-box p { margin: 2px 0; }
        .rating-box.good { border-top-color: #3f8f55; } .rating-box.approaching { border-top-color: #c9a227; }
        .rating-box.improvement { border-top-color: #d9762b; } .rating-box.inadequate { border-top-color: #b23a3a; }
        .rating-box.notdue { border-top-color: #9aa5b1; }
        p.rule { font-size: 13px; background: var(--panel); padding: 8px 12px; border-left: 4px solid var(--expected); }
        .two { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 22px; }
        .two h3 { margin-top: 12px; }
        ul.points { margin: 6px 0 0; padding-left: 20px; }
        ul.points li { margin: 3px 0; }
        ul.authored { margin: 6px 0 10px; padding-left: 22px; }
        table { width: 100%; border-collapse: collapse; font-size: 13.5px; margin: 8px 0 16px; }
        caption { text-align: left; font-size: 13px; color: var(--muted); padding: 0 0 6px; caption-side: top; }
        th, td { padding: 5px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
        thead th { background: var(--panel); font-weight: 600; border-bottom: 2px solid #bcccdc; }
        tbody th { font-weight: 600; }
        tfoot td, tfoot th { font-weight: 600; border-top: 2px solid #bcccdc; border-bottom: none; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        thead th.num { white-space: normal; }
        tr.key th, tr.key td { font-weight: 700; background: #f7f9fb; }
        .ref { white-space: nowrap; font-weight: 600; }
        .nowrap { white-space: nowrap; }
        table.amounts tbody th, table.amounts tfoot th { width: 26%; }
        table.key-figures th[scope="row"] { font-weight: 500; width: 34%; }
        table.key-figures thead th { vertical-align: bottom; }
        table.key-figures thead th.num { min-width: 7.5em; }
        table.measures td:first-child { min-width: 16em; }
        td.title { min-width: 11em; }
        .negative { color: #8a1c1c; }
        .badge { display: inline-block; padding: 1px 9px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; border: 1px solid; }
        .badge.good { background: #e3f2e7; color: #1d5e31; border-color: #9fcfac; }
        .badge.approaching { background: #fdf3d7; color: #6b4e00; border-color: #e8cf85; }
        .badge.improvement { background: #fde5d4; color: #8a3a00; border-color: #f0b388; }
        .badge.inadequate { background: #f9dcdc; color: #8a1c1c; border-color: #e29a9a; }
        .badge.notdue { background: #eef1f5; color: #46505c; border-color: #c8d1dc; }
        .badge::before { content: ""; display: inline-block; width: 7px; height: 7px; border-radius: 50%; background: currentColor; margin-right: 6px; vertical-align: 1px; }
        .meter { display: inline-block; width: 6.5em; height: 0.8em; border: 1px solid #9aa5b1; vertical-align: -1px; background: #fff; }
        .meter .fill { display: block; height: 100%; background: var(--delivered); }
        .meter .fill.good { background: #3f8f55; } .meter .fill.approaching { background: #c9a227; }
        .meter .fill.improvement { background: #d9762b; } .meter .fill.inadequate { background: #b23a3a; }
        .meter-figure { font-variant-numeric: tabular-nums; }
        .remedial { border: 1px solid var(--rule); border-left: 4px solid #b23a3a; padding: 6px 14px 4px; margin: 10px 0; }
        .remedial h3 { margin: 4px 0; }
        .empty { color: var(--muted); font-style: italic; }
        figure { margin: 12px 0 6px; }
        figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
        .multiples { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px 20px; }
        .multiples figure.panel { margin: 0; border: 1px solid var(--rule); border-radius: 4px; padding: 4px 6px 0; }
        p.legend { font-size: 13px; margin: 8px 0; }
        .swatch { display: inline-block; width: 12px; height: 12px; margin: 0 5px 0 12px; vertical-align: -1px; }
        .swatch:first-child { margin-left: 0; }
        .swatch.fill-pledged { background: var(--pledged); } .swatch.fill-expected { background: var(--expected); }
        .swatch.fill-delivered { background: var(--delivered); } .swatch.fill-beyond { background: var(--beyond); border: 1px dashed var(--delivered); }
        svg.chart { width: 100%; height: auto; display: block; }
        svg .fill-pledged { fill: var(--pledged); }
        svg .fill-expected { fill: var(--expected); }
        svg .fill-delivered { fill: var(--delivered); }
        svg .fill-beyond { fill: var(--beyond); stroke: var(--delivered); stroke-width: 1; stroke-dasharray: 3 2; }
        svg .grid { stroke: #e4e9ef; stroke-width: 1; }
        svg .axis { stroke: #52606d; stroke-width: 1.2; }
        svg .unreached { fill: none; stroke: #9aa5b1; stroke-width: 1.2; stroke-dasharray: 5 4; }
        svg text { font-family: inherit; fill: var(--ink); }
        svg .tick { font-size: 12.5px; fill: var(--muted); }
        svg .value { font-size: 12.5px; font-variant-numeric: tabular-nums; }
        svg .value.inside { fill: var(--ink); font-weight: 600; }
        svg .value.inside.on-dark { fill: #fff; }
        svg .bar-label { font-size: 12.5px; fill: var(--muted); }
        svg .group { font-size: 14px; font-weight: 600; }
        svg .legend { font-size: 13.5px; }
        code, .hash, pre { font-family: "DejaVu Sans Mono", "Liberation Mono", Consolas, monospace; }
        code.hash { font-size: 12.5px; white-space: nowrap; }
        pre { background: var(--panel); border: 1px solid var(--rule); padding: 8px 12px; font-size: 12.5px; margin: 6px 0 12px; overflow-x: auto; }
        pre.command { white-space: pre-wrap; overflow-wrap: anywhere; }
        pre.head { white-space: pre; user-select: all; -webkit-user-select: all; font-size: 12.5px; font-weight: 600; }
        p.copy-label { margin-bottom: 0; font-size: 13px; color: var(--muted); }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 8px 0 16px; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; }
        table.scale { width: auto; }
        @media screen and (max-width: 760px) {
          main { padding: 20px; }
          .ratings { grid-template-columns: repeat(3, minmax(0, 1fr)); }
          .two, .multiples { grid-template-columns: minmax(0, 1fr); }
          dl.front-facts { grid-template-columns: 1fr; }
        }
        @media print {
          html, body { background: #fff; }
          body { font-size: 11pt; }
          main { max-width: none; margin: 0; padding: 0; box-shadow: none; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          h1 { font-size: 18pt; }
          h2 { font-size: 13.5pt; margin: 16pt 0 6pt; }
          h3 { font-size: 11pt; margin: 10pt 0 4pt; }
          .at-a-glance { break-before: page; }
          .at-a-glance h2 { margin-top: 0; }
          .at-a-glance h3 { margin-top: 6pt; }
          .at-a-glance .lede { margin-bottom: 2pt; }
          .at-a-glance p.rule { margin: 4pt 0; }
          .at-a-glance table { font-size: 10pt; margin: 2pt 0 4pt; }
          .at-a-glance th, .at-a-glance td { padding: 1.8pt 4pt; }
          .at-a-glance .meter { width: 4.5em; }
          .at-a-glance .two { gap: 12pt; }
          .at-a-glance ul.points li { margin: 1pt 0; }
          h2, h3 { break-after: avoid; }
          tr, li, figure, .rating-box, .remedial, dl.facts, pre, p.rule, section.provenance { break-inside: avoid; }
          p.legend, caption { break-after: avoid; }
          thead { display: table-header-group; }
          tfoot { display: table-row-group; }
          table { font-size: 10pt; margin: 4pt 0 10pt; }
          th, td { padding: 2.5pt 5pt; }
          caption, figcaption, .small, p.rule { font-size: 10pt; }
          .ratings { gap: 6pt; margin: 6pt 0; }
          .rating-box { padding: 4pt 6pt; }
          .rating-box .count { font-size: 18pt; }
          .two { gap: 14pt; }
          .multiples { gap: 6pt 12pt; }
          pre { font-size: 9pt; padding: 5pt 8pt; overflow: visible; white-space: pre-wrap; overflow-wrap: anywhere; }
          pre.head { font-size: 9pt; }
          code.hash { font-size: 9pt; }
          dl.front-facts { font-size: 11pt; }
          .badge { font-size: 9pt; padding: 0 6px; }
        }
        """
}
