/**
 * Shell completion for the two commands (`bigin`, `bigin-server`), generated from their command
 * trees so that it cannot drift. Here because both packages bundle this one; it takes the shape
 * of a commander `Command` without importing commander (the contract has no dependencies).
 */
export interface CompletableCommand {
  name(): string;
  readonly commands: readonly CompletableCommand[];
  readonly options: readonly { long?: string | undefined; short?: string | undefined }[];
}

const quote = (words: string[]) => words.join(' ').replace(/[^A-Za-z0-9 ._:=/-]/g, '');

/**
 * A bash completion script (zsh too, through bashcompinit) completing subcommands and options at
 * every level: `source <(bigin-server completion)`.
 */
export function completionScript(program: CompletableCommand): string {
  const fn = `_${program.name().replace(/[^A-Za-z0-9]/g, '_')}_complete`;
  const subs: string[] = [];
  const opts: string[] = [];
  // A subcommand accepts its parents' options too (commander's optsWithGlobals).
  const walk = (cmd: CompletableCommand, path: string, inherited: string[]) => {
    const names = cmd.commands.map((c) => c.name());
    subs.push(`    "${path}") echo "${quote(names)}" ;;`);
    const flags = [
      ...inherited,
      ...cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => !!f)),
    ];
    opts.push(`    "${path}") echo "${quote([...flags, '--help'])}" ;;`);
    for (const c of cmd.commands) walk(c, path ? `${path} ${c.name()}` : c.name(), flags);
  };
  walk(program, '', []);
  return `# ${program.name()} completion for bash and zsh. Load it with: source <(${program.name()} completion)
if [ -n "$ZSH_VERSION" ]; then autoload -U +X bashcompinit && bashcompinit; fi
${fn}_subs() {
  case "$1" in
${subs.join('\n')}
  esac
}
${fn}_opts() {
  case "$1" in
${opts.join('\n')}
  esac
}
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case " $(${fn}_subs "$path") " in *" $w "*) path="\${path:+$path }$w" ;; esac
  done
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(${fn}_opts "$path")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(${fn}_subs "$path")" -- "$cur"))
    [ \${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -F ${fn} ${program.name()}
`;
}
