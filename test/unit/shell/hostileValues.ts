// Values a placeholder may receive that would run code or split arguments if quoted badly. `marker` is a file
// path that must never appear: the values that try to run something try to create it.
export function hostileValues(marker = '/tmp/pwned'): string[] {
  return [
    `$(touch ${marker})`, `\`touch ${marker}\``, '; rm -rf ~', '&& curl evil', `&& touch ${marker}`, 'a\nb', `\n; touch ${marker}\n`,
    "'", '"', '\\', `'; touch ${marker}; '`, `"; touch ${marker}; "`, "\\'", '\\"', '$HOME', '${HOME}', '$((6*7))', '!!', '!$', 'a!b',
    '*', '~', '{a,b}', 'a b  c', ' lead', 'trail ', '|', '>', '<', '#', '# x', '$', "$'\\x41'", `) ; touch ${marker} ; (`,
    'é 世界 🚀 \u202e', 'x'.repeat(10 * 1024), `'"\`$(touch ${marker})\\`,
  ];
}

export const HOSTILE_VALUES = hostileValues();
