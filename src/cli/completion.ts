/**
 * `exbinder completion bash|zsh`: a completion script generated from the
 * commander program itself, so it never lists an option that does not exist.
 */
import type { Command } from 'commander';

function table(program: Command): { name: string; options: string[] }[] {
  const global = program.options.flatMap((o) => [o.short, o.long].filter((x): x is string => Boolean(x)));
  return program.commands.map((c) => ({
    name: c.name(),
    options: [...c.options.flatMap((o) => [o.short, o.long].filter((x): x is string => Boolean(x))), ...global, '--help'],
  }));
}

export function completionScript(program: Command, shell: 'bash' | 'zsh'): string {
  const cmds = table(program);
  const names = cmds.map((c) => c.name).join(' ');
  const cases = cmds.map((c) => `    ${c.name}) opts="${c.options.join(' ')}" ;;`).join('\n');
  const bash = `# exbinder bash completion: eval "$(exbinder completion bash)" or save it to
# /etc/bash_completion.d/exbinder
_exbinder() {
  local cur cmd opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  cmd="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${names} --help --version" -- "$cur") )
    return
  fi
  case "$cmd" in
${cases}
    *) opts="" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o filenames -F _exbinder exbinder
`;
  if (shell === 'bash') return bash;
  // zsh runs the bash function through bashcompinit: one script to keep right
  return `# exbinder zsh completion: exbinder completion zsh >> ~/.zshrc
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bash}`;
}
