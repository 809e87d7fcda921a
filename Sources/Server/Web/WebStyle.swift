import HTTPTypes
import Hummingbird
import NIOCore

/// The web app's one style sheet, our own, on the GOV.UK Design System's model that council
/// staff know: a black header, 19px text, thick focus outlines in yellow and black, errors in
/// red with a bar beside the field. Colours meet WCAG 2.2 AA contrast on white. Printing drops
/// the header's controls and the filters.
enum WebStyle {
    static let css = """
        *, *::before, *::after { box-sizing: border-box; }
        html { font-family: Arial, "Helvetica Neue", sans-serif; font-size: 100%; color: #0b0c0c; background: #fff; }
        body { margin: 0; font-size: 1.1875rem; line-height: 1.32; }
        .width { max-width: 1100px; margin: 0 auto; padding: 0 1rem; }
        .skip-link { position: absolute; left: -9999px; }
        .skip-link:focus { position: static; display: block; padding: 0.5rem 1rem; background: #ffdd00; color: #0b0c0c; }
        .site-header { background: #0b0c0c; color: #fff; border-bottom: 10px solid #1d70b8; }
        .site-header .width { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; padding-top: 0.6rem; padding-bottom: 0.6rem; gap: 0.5rem; }
        .site-header a, .site-header a:visited, .site-header .link-button { color: #fff; }
        .service { font-weight: bold; font-size: 1.5rem; text-decoration: none; }
        .account { display: flex; gap: 1rem; align-items: center; }
        .account form { margin: 0; }
        main.width { padding-top: 2rem; padding-bottom: 3rem; display: block; }
        h1 { font-size: 2.25rem; margin: 0 0 1.25rem; line-height: 1.1; }
        h2 { font-size: 1.5rem; margin: 1.5rem 0 1rem; }
        p { margin: 0 0 1rem; max-width: 40em; }
        .lede { font-size: 1.25rem; }
        a { color: #1d70b8; text-decoration: underline; text-underline-offset: 0.1em; }
        a:visited { color: #4c2c92; }
        a:hover { color: #003078; text-decoration-thickness: 3px; }
        a:focus, button:focus, input:focus, select:focus, .link-button:focus {
          outline: 3px solid transparent; background-color: #ffdd00; color: #0b0c0c; box-shadow: 0 -2px #ffdd00, 0 4px #0b0c0c; text-decoration: none;
        }
        input:focus, select:focus { background-color: #fff; outline: 3px solid #ffdd00; outline-offset: 0; box-shadow: inset 0 0 0 2px #0b0c0c; }
        main form { margin-bottom: 1.5rem; }
        .field { margin-bottom: 1.5rem; }
        .field.inline { display: inline-block; margin-right: 1rem; vertical-align: bottom; }
        label { display: block; font-weight: bold; margin-bottom: 0.3rem; }
        .hint { color: #505a5f; margin-bottom: 0.4rem; }
        input[type=text], input[type=password], input[type=email], input[type=date], input[type=number], select {
          font: inherit; padding: 0.3rem; border: 2px solid #0b0c0c; border-radius: 0; width: 100%; max-width: 24em; min-height: 2.5rem; background: #fff; color: #0b0c0c;
        }
        .field.inline select { width: auto; }
        /* A choice shows its whole label (a catalog's title and version), up to the page's width. */
        .field select { width: auto; max-width: 100%; }
        .field-has-error { border-left: 5px solid #d4351c; padding-left: 0.9rem; }
        .field-has-error input { border-color: #d4351c; }
        .field-error { color: #d4351c; font-weight: bold; margin-bottom: 0.4rem; }
        .button { font: inherit; font-weight: normal; padding: 0.5rem 0.8rem; border: 2px solid transparent; border-radius: 0; background: #00703c; color: #fff; box-shadow: 0 2px 0 #002d18; cursor: pointer; }
        .button:hover { background: #005a30; }
        .button.secondary { background: #f3f2f1; color: #0b0c0c; box-shadow: 0 2px 0 #929191; }
        .link-button { font: inherit; background: none; border: 0; padding: 0; text-decoration: underline; cursor: pointer; }
        .error-summary { border: 5px solid #d4351c; padding: 1rem; margin-bottom: 2rem; }
        .error-summary h2 { margin-top: 0; }
        .error-summary ul { margin: 0; padding-left: 0; list-style: none; }
        .error-summary a { color: #d4351c; font-weight: bold; }
        .notice { border-left: 10px solid #1d70b8; background: #f3f2f1; padding: 0.8rem 1rem; margin-bottom: 1.5rem; }
        .notice p { margin: 0; }
        .visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: 0; padding: 0; overflow: hidden; clip: rect(0 0 0 0); border: 0; white-space: nowrap; }
        table { border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; font-size: 1rem; }
        th, td { text-align: left; padding: 0.6rem 1rem 0.6rem 0; border-bottom: 1px solid #b1b4b6; vertical-align: top; }
        thead th { border-bottom: 2px solid #0b0c0c; }
        tbody th { font-weight: normal; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .ref { font-weight: bold; display: block; }
        .nowrap { white-space: nowrap; }
        .muted { color: #505a5f; }
        .rating { display: inline-block; padding: 0.1rem 0.4rem; font-weight: bold; font-size: 0.9rem; }
        .rating-good { background: #cce2d8; color: #005a30; }
        .rating-approaching-target { background: #d2e2f1; color: #003078; }
        .rating-requires-improvement { background: #fff7bf; color: #594d00; }
        .rating-inadequate { background: #f6d7d2; color: #942514; }
        .rating-not-yet-due { background: #f3f2f1; color: #383f43; }
        .caption { color: #505a5f; font-size: 1.1875rem; margin-bottom: 0.2rem; }
        dl.summary { margin: 0 0 2rem; border-top: 1px solid #b1b4b6; }
        dl.summary .row { display: flex; flex-wrap: wrap; border-bottom: 1px solid #b1b4b6; padding: 0.5rem 0; }
        dl.summary dt { font-weight: bold; width: 30%; min-width: 12em; margin: 0; }
        dl.summary dd { margin: 0; flex: 1; min-width: 16em; }
        tr.changed th::after { content: " (changed)"; font-weight: normal; color: #505a5f; }
        .chart-and-table { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
        .chart { margin: 0; max-width: 100%; }
        .chart svg { max-width: 100%; height: auto; }
        .chart-label { font: bold 15px Arial, sans-serif; fill: #0b0c0c; }
        .bar-committed, .key-committed { fill: #003078; background: #003078; }
        .bar-delivered, .key-delivered { fill: #5694ca; background: #5694ca; }
        .key { display: inline-block; width: 1em; height: 1em; vertical-align: middle; margin-left: 0.5rem; }
        .scroll { overflow-x: auto; }
        code.hash { font-size: 0.8rem; word-break: break-all; }
        table.trail td { font-size: 0.95rem; }
        .notice.success { border-left-color: #00703c; }
        .findings li.blocking { color: #d4351c; }
        tr.finding th::after { content: " (see the findings)"; font-weight: normal; color: #505a5f; }
        a.button, a.button:visited { display: inline-block; color: #fff; text-decoration: none; margin-right: 1rem; }
        a.button.secondary, a.button.secondary:visited { color: #0b0c0c; }
        fieldset { border: 0; padding: 0; margin: 0 0 1.5rem; }
        legend { font-weight: bold; font-size: 1.25rem; margin-bottom: 0.5rem; }
        .radio, .checkbox { display: flex; gap: 0.6rem; align-items: flex-start; margin-bottom: 0.6rem; }
        .radio input, .checkbox input { width: 1.6rem; height: 1.6rem; flex: none; margin: 0; }
        .radio label, .checkbox label { font-weight: normal; }
        .checkbox.field-has-error { flex-wrap: wrap; }
        .checkbox .field-error { flex-basis: 100%; }
        table.return input { max-width: 14em; }
        table.return caption { text-align: left; margin-bottom: 0.5rem; }
        .inline-form { display: inline; margin: 0; }
        code.link { font-size: 1rem; word-break: break-all; background: #fff; padding: 0.2rem; }
        tr.differs td { font-weight: bold; }
        ol.events { padding-left: 1.5rem; }
        ol.events li.event { margin-bottom: 1.5rem; }
        ol.events li.event p { margin-bottom: 0.3rem; }
        pre { background: #f3f2f1; padding: 1rem; overflow-x: auto; font-size: 0.95rem; }
        h3 { font-size: 1.1875rem; margin: 1rem 0 0.5rem; }
        .exception-lists { columns: 2 18em; column-gap: 2rem; }
        .exception-lists h3 { break-after: avoid; margin-top: 0; padding-top: 0.5rem; }
        ul.exceptions { margin: 0 0 1rem; padding-left: 1.2rem; break-inside: avoid; }
        .filters { background: #f3f2f1; padding: 1rem 1rem 0; margin-bottom: 1.5rem; }
        .filters .button { margin-bottom: 1.5rem; }
        .pagination { display: flex; gap: 1.5rem; align-items: center; }
        .site-footer { border-top: 1px solid #b1b4b6; background: #f3f2f1; padding: 1.5rem 0; font-size: 1rem; }
        @media print {
          .site-header .account, .filters, .pagination, .skip-link, .site-footer { display: none; }
          .site-header { background: none; color: #000; border-bottom: 2px solid #000; }
          .site-header a { color: #000; }
          a { color: #000; text-decoration: none; }
          body { font-size: 11pt; }
        }
        """

    static var response: Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/css; charset=utf-8"
        headers[.cacheControl] = "max-age=300"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: css)))
    }
}
