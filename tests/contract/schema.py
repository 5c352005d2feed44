# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/contract/schema.py - a JSON Schema validator for the subset output.schema.json uses.

Keywords: type (one name or a list; "integer" is a number without a fraction, a bool is
never a number), enum, const, properties, required, additionalProperties (false or a
schema), items, minimum, maximum, minLength, pattern, $ref to "#/$defs/NAME", anyOf.
Any other keyword in a schema is an error, so the schema cannot use more than is checked.
"""
import re

KNOWN = {"$schema", "$id", "$defs", "$ref", "$comment", "title", "description", "type", "enum",
         "const", "properties", "required", "additionalProperties", "items", "minimum", "maximum",
         "minLength", "pattern", "anyOf"}


def type_ok(value, name):
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if name == "number":
        return isinstance(value, (int, float))
    if name == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    raise ValueError("unknown type %r in the schema" % name)


def validate(value, schema, root=None, where="$"):
    """A list of problems ('$.perfdata[0].value: ...'); empty when value matches."""
    root = schema if root is None else root
    unknown = set(schema) - KNOWN
    if unknown:
        raise ValueError("schema keyword(s) %s are not supported" % ", ".join(sorted(unknown)))
    if "$ref" in schema:
        name = schema["$ref"].rpartition("/")[2]
        return validate(value, root["$defs"][name], root, where)
    if "anyOf" in schema:
        if all(validate(value, s, root, where) for s in schema["anyOf"]):
            return ["%s: %s matches none of the allowed shapes" % (where, short(value))]
        return []
    probs = []
    types = schema.get("type")
    if types is not None:
        types = types if isinstance(types, list) else [types]
        if not any(type_ok(value, t) for t in types):
            return ["%s: %s is not %s" % (where, short(value), " or ".join(types))]
    if "enum" in schema and value not in schema["enum"]:
        probs.append("%s: %s is not one of %s" % (where, short(value), schema["enum"]))
    if "const" in schema and value != schema["const"]:
        probs.append("%s: %s is not %r" % (where, short(value), schema["const"]))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            probs.append("%s: %s is below %s" % (where, value, schema["minimum"]))
        if "maximum" in schema and value > schema["maximum"]:
            probs.append("%s: %s is above %s" % (where, value, schema["maximum"]))
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            probs.append("%s: %s is shorter than %d" % (where, short(value), schema["minLength"]))
        if "pattern" in schema and not re.search(schema["pattern"], value):
            probs.append("%s: %s does not match /%s/" % (where, short(value), schema["pattern"]))
    if isinstance(value, dict):
        probs += object_problems(value, schema, root, where)
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            probs += validate(item, schema["items"], root, "%s[%d]" % (where, i))
    return probs


def object_problems(value, schema, root, where):
    probs = ["%s: lacks %r" % (where, k) for k in schema.get("required", []) if k not in value]
    props = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for k, v in value.items():
        if k in props:
            probs += validate(v, props[k], root, "%s.%s" % (where, k))
        elif extra is False:
            probs.append("%s: key %r is not in the schema" % (where, k))
        elif isinstance(extra, dict):
            probs += validate(v, extra, root, "%s.%s" % (where, k))
    return probs


def short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
