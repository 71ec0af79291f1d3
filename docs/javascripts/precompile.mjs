// Build time only (docs/hooks.py runs it with Node; the site does not serve it): compile the
// engine's Python to bytecode with Pyodide's own Python, so the browser imports bytecode
// instead of compiling sources on every start (several seconds on a slow machine).
//
//   node precompile.mjs PYODIDE_DIR [--start-with ZIP] [--stdlib IN OUT] [--wheel IN OUT]
//
// --stdlib writes Pyodide's standard library with every module as bytecode (no sources);
// --wheel writes our wheel with each module's bytecode beside its source (__pycache__);
// --start-with starts Pyodide on an already compiled standard library (a quicker start). The
// bytecode is "unchecked-hash" (PEP 552): Python uses it as it is, whatever the files' times.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, ...rest] = process.argv.slice(2);
const options = {};
for (let i = 0; i < rest.length; ) {
  const name = rest[i].replace(/^--/, "");
  const count = name === "start-with" ? 1 : 2;
  options[name] = rest.slice(i + 1, i + 1 + count);
  i += 1 + count;
}
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: `${path.resolve(pyodideDir)}/`,
  ...(options["start-with"] ? { stdLibURL: path.resolve(options["start-with"][0]) } : {}),
});

const COMPILE = `
import base64, hashlib, importlib.util, marshal, sysconfig, zipfile

ZIP_ROOT = next(p for p in __import__("sys").path if p.endswith(".zip"))
SITE = sysconfig.get_paths()["purelib"]


def bytecode(source, filename):
    code = compile(source, filename, "exec", dont_inherit=True)
    flags = (1).to_bytes(4, "little")  # hash-based, source not checked (PEP 552)
    return importlib.util.MAGIC_NUMBER + flags + importlib.util.source_hash(source) + marshal.dumps(code)


def entry(name):
    info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def stdlib(src, dst):
    with zipfile.ZipFile(src) as inside, zipfile.ZipFile(dst, "w") as out:
        for info in inside.infolist():
            data = inside.read(info)
            if info.filename.endswith(".py"):
                try:
                    data = bytecode(data, f"{ZIP_ROOT}/{info.filename}")
                except SyntaxError:  # a template or test file: keep it as it is
                    out.writestr(entry(info.filename), data)
                    continue
                out.writestr(entry(info.filename[:-3] + ".pyc"), data)
            elif not info.is_dir():
                out.writestr(entry(info.filename), data)


def digest(data):
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def wheel(src, dst):
    with zipfile.ZipFile(src) as inside:
        files = {name: inside.read(name) for name in inside.namelist()}
    record = next(name for name in files if name.endswith(".dist-info/RECORD"))
    added = {}
    for name, data in files.items():
        if name.endswith(".py"):
            cached = importlib.util.cache_from_source(name)
            added[cached] = bytecode(data, f"{SITE}/{name}")
    files.update(added)
    lines = [f"{n},sha256={digest(d)},{len(d)}" for n, d in files.items() if n != record]
    files[record] = ("\\n".join(lines) + f"\\n{record},,\\n").encode()
    with zipfile.ZipFile(dst, "w") as out:
        for name in sorted(files):
            out.writestr(entry(name), files[name])
`;

pyodide.runPython(COMPILE);
for (const kind of ["stdlib", "wheel"]) {
  if (!options[kind]) continue;
  const [source, target] = options[kind];
  pyodide.FS.writeFile("/tmp/in", new Uint8Array(fs.readFileSync(source)));
  pyodide.runPython(`${kind}("/tmp/in", "/tmp/out")`);
  fs.writeFileSync(target, pyodide.FS.readFile("/tmp/out"));
}
