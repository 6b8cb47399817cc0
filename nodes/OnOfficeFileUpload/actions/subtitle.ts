// The node's subtitle on the canvas: which node does what, e.g. "Upload File → Estate 409", "Add Link → Estate PC910",
// "Stage File → File Cache". n8n evaluates it as an expression in the editor, where there is no item: it is written
// here a statement a line, each with why, and joined into the one expression n8n takes.
const STATEMENTS = [
	'const p = $parameter;',
	'const op = p["operation"];',
	// Stage File files nothing on a record.
	'if (op === "stageFile") return "Stage File → File Cache";',
	// Links exist for estates only, so Add Link has no Module.
	'const module = op === "addLink" ? "estate" : (p["module"] || "estate");',
	'const noun = { estate: "Estate", address: "Address", agentsLog: "Agents Log", task: "Task" }[module] || "Record";',
	'let target;',
	'try {',
	// Version 2 names estates and addresses in a resource locator (Estate, Address), whose value n8n hands a subtitle
	// alone: a record chosen from the list shows its record number. Version 1 and the other modules: Related Record ID.
	'const v2 = $nodeVersion >= 2 && (module === "estate" || module === "address");',
	'const field = v2 ? p[module] : p["relatedRecordId"];',
	'const value = field && typeof field === "object" ? field.value : field;',
	'target = String(value ?? "");',
	// A value from an expression cannot be worked out on the canvas, where there is no item.
	'if (target.startsWith("=")) target = "from the item";',
	'} catch (e) { target = "from the item"; }',
	'return ((op === "addLink" ? "Add Link → " : "Upload File → ") + noun + " " + target).trim();',
];

export const SUBTITLE = `={{ (() => { ${STATEMENTS.join(' ')} })() }}`;
