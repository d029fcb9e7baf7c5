"""Reads a Python Pulumi program (ast only, nothing runs) and prints, as JSON, how it uses a generated SDK
imported as `module`: each call of module.X(...) with its keyword arguments, enum members, and the
attributes read from the resources it declares. test/package/examples.test.ts checks them against schema.json."""

import ast
import json
import sys


def describe(node, alias):
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _is(node.func.value, alias):
        return {"kind": "call", "name": node.func.attr, "kwargs": _kwargs(node, alias)}
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) and _is(node.value.value, alias):
        return {"kind": "enum", "name": node.value.attr, "member": node.attr}
    if isinstance(node, ast.Constant):
        out = {"kind": "literal", "type": type(node.value).__name__}
        if isinstance(node.value, (str, int, float, bool)):
            out["value"] = node.value
        return out
    if isinstance(node, (ast.List, ast.Tuple)):
        return {"kind": "list", "items": [describe(e, alias) for e in node.elts]}
    if isinstance(node, ast.Dict):
        return {"kind": "dict"}
    return {"kind": "other"}


def _is(node, alias):
    return isinstance(node, ast.Name) and node.id == alias


def _kwargs(call, alias):
    return {k.arg: describe(k.value, alias) for k in call.keywords if k.arg is not None}


def main(path, module):
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    alias = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for name in node.names:
                if name.name == module:
                    alias = name.asname or name.name
    if alias is None:
        raise SystemExit(f"{path}: does not import {module}")
    resources, reads, top = {}, [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = describe(node.value, alias)
            if value["kind"] == "call":
                resources[node.targets[0].id] = value["name"]
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id != alias:
            reads.append([node.value.id, node.attr])
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            value = describe(node.value, alias)
            if value["kind"] == "call":
                top.append(value)
    reads = [r for r in reads if r[0] in resources]
    print(json.dumps({"calls": top, "resources": resources, "reads": reads}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
