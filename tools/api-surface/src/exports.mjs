import { sep } from 'node:path';
import ts from 'typescript';

/**
 * Lists what every entry of the given packages exports, as `{ entry, kind, name }` rows, from
 * one TypeScript program. Only each package's own sources are read: imports of other packages
 * (tfjs, node builtins, other workspace packages) are left unresolved and no lib is loaded, so a
 * package lists in about a second and the result does not depend on which packages are listed
 * together. Kinds come from the declarations, not from types; a name re-exported from another
 * package is `external(<module>)` (and `export *` from another package lists nothing).
 */
export function listExports(packages) {
  const roots = packages.flatMap((pkg) => pkg.entries.map((entry) => entry.file));
  const program = ts.createProgram({ rootNames: roots, options: PROGRAM_OPTIONS, host: ownSourcesHost(packages.map((pkg) => pkg.dir)) });
  const checker = program.getTypeChecker();
  return packages.map((pkg) => ({
    ...pkg,
    exports: pkg.entries.flatMap(({ entry, file }) => entryExports(program, checker, entry, file)),
  }));
}

const PROGRAM_OPTIONS = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  customConditions: ['@resnet-ts/source'],
  allowJs: true,
  noLib: true,
  types: [],
  noEmit: true,
};

/** A compiler host that resolves a module only when it lies in the importing file's own package. */
function ownSourcesHost(packageDirs) {
  const host = ts.createCompilerHost(PROGRAM_OPTIONS);
  const dirs = packageDirs.map((dir) => `${dir.split(sep).join('/')}/`);
  const packageOf = (file) => dirs.find((dir) => file.startsWith(dir));
  host.resolveModuleNameLiterals = (literals, containingFile, _redirect, options) =>
    literals.map((literal) => {
      const { resolvedModule } = ts.resolveModuleName(literal.text, containingFile, options, host);
      const own = resolvedModule && packageOf(resolvedModule.resolvedFileName) === packageOf(containingFile);
      return { resolvedModule: own ? resolvedModule : undefined };
    });
  return host;
}

function entryExports(program, checker, entry, file) {
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`${file}: entry "${entry}" points at a file that cannot be read`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) return [];
  return checker.getExportsOfModule(moduleSymbol).map((symbol) => ({ entry, kind: kindOf(checker, symbol), name: symbol.name }));
}

const KINDS = [
  [ts.SymbolFlags.Class, 'class'],
  [ts.SymbolFlags.Function, 'function'],
  [ts.SymbolFlags.Enum, 'enum'],
  [ts.SymbolFlags.Variable, 'const'],
  [ts.SymbolFlags.Module, 'namespace'],
  [ts.SymbolFlags.Interface, 'interface'],
  [ts.SymbolFlags.TypeAlias, 'type'],
];

/** `function`, `class`, `const` (`let`/`var` for mutable bindings), `interface`, `type`, ...; merged declarations join with `+`. */
function kindOf(checker, symbol) {
  let typeOnly = false;
  let target = symbol;
  while (target.flags & ts.SymbolFlags.Alias) {
    typeOnly ||= (target.declarations ?? []).some((declaration) => ts.isTypeOnlyImportOrExportDeclaration(declaration));
    const next = checker.getImmediateAliasedSymbol(target);
    if (!next?.declarations?.length) return `external(${moduleOf(target.declarations?.[0])})`;
    target = next;
  }
  const kinds = KINDS.filter(([flag]) => target.flags & flag).map(([flag, kind]) => (flag === ts.SymbolFlags.Variable ? variableKind(target) : kind));
  const kind = kinds.join('+') || 'unknown';
  return typeOnly && target.flags & ts.SymbolFlags.Value ? `type-only ${kind}` : kind;
}

/** The module an import or export specifier names. */
function moduleOf(declaration) {
  let node = declaration;
  while (node && !(node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))) node = node.parent;
  return node ? node.moduleSpecifier.text : 'unknown';
}

function variableKind(symbol) {
  const list = symbol.valueDeclaration?.parent;
  if (!list || !ts.isVariableDeclarationList(list)) return 'const';
  if (list.flags & ts.NodeFlags.Const) return 'const';
  return list.flags & ts.NodeFlags.Let ? 'let' : 'var';
}
