// PromQL written in a `console`, `bash` or untagged fence (alert runbooks often do) is a query for Prometheus, not a
// command: recognised by its shape so it is shown and copied, never sent to a terminal.

// Signs of PromQL: a selector with label matchers (`up{job="api"}`), a range (`[5m]`), or one of its functions or
// aggregations followed by `(`.
const LABEL_MATCHER = /[a-zA-Z_:][\w:]*\s*\{\s*[a-zA-Z_]\w*\s*(?:=~|!~|!=|=)\s*"/;
const RANGE = /[\w})]\s*\[\s*\d+(?:ms|[smhdwy])(?:\s*:\s*\d*(?:ms|[smhdwy])?)?\s*\]/;
const FUNCTION =
  /\b(?:rate|irate|increase|delta|idelta|deriv|sum|avg|min|max|count|stddev|topk|bottomk|quantile|histogram_quantile|absent|absent_over_time|predict_linear|label_replace|label_join|changes|resets|clamp_min|clamp_max|(?:avg|min|max|sum|count|quantile|last|present)_over_time)\s*\(/;
const GROUPING = /\)\s*(?:by|without)\s*\(|\b(?:by|without)\s*\([\w\s,]*\)\s*\(/;
// Signs of a shell command: a flag, a pipe into a program, a redirection, a variable, a command separator.
const SHELL_SIGNS =
  /(?:^|\s)--?[a-zA-Z]|\|\s*[a-z]|[;&`]|\$[\w({]|(?:^|\s)[<>]{1,2}\s*[\w/]|^\s*(?:sudo|kubectl|curl|oc|docker|cat|echo)\s/;
// A line of PromQL: names, numbers, operators, quoted label values, brackets and parentheses.
const PROMQL_LINE = /^[\w:{}()[\]"'=~!<>,.+\-*/%^\s|@]*$/;
// SQL shares `count(` and `max(` with PromQL, never these words.
const SQL_WORDS = /\b(?:select|from|where|insert|update|delete|join|values|returning)\b/i;

/** Whether the block's lines read as PromQL rather than commands (comments and prompts aside). */
export function looksLikePromQL(body: string): boolean {
  // PromQL needs brackets of some kind, and a query is short.
  if (body.length > 8192 || !/[({[]/.test(body)) return false;
  // Label values are free text (`job=~"api|web"`): only what is outside quotes can be shell syntax. Most blocks fail
  // on their first line, before the costlier search for PromQL's own signs.
  const lines: string[] = [];
  for (let start = 0; start <= body.length;) {
    let end = body.indexOf('\n', start);
    if (end === -1) end = body.length;
    const line = body.slice(start, end).trim();
    start = end + 1;
    if (line === '' || line.startsWith('#')) continue;
    if (!PROMQL_LINE.test(line) || SHELL_SIGNS.test(line.replace(/"[^"]*"/g, '""')) || lines.length === 40)
      return false;
    lines.push(line);
  }
  if (lines.length === 0) return false;
  const text = lines.join('\n');
  if (!(LABEL_MATCHER.test(text) || RANGE.test(text) || FUNCTION.test(text) || GROUPING.test(text))) return false;
  return !SQL_WORDS.test(text.replace(/"[^"]*"/g, '""'));
}
