package io.kflowd.format.json;

/**
 * kflowd's pretty printer as spec 2.3 describes it: a character scanner over the compact
 * text. Test oracle only: the formatter must produce what this makes of the compact form.
 */
final class KflowdScanner {

    private KflowdScanner() {
    }

    static String pretty(String compact) {
        StringBuilder out = new StringBuilder();
        int indent = 0;
        boolean arrayMode = false;
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < compact.length(); i++) {
            char c = compact.charAt(i);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
                out.append(c);
                continue;
            }
            switch (c) {
                case '"' -> {
                    inString = true;
                    out.append(c);
                }
                case '{' -> {
                    indent += 2;
                    arrayMode = false;
                    out.append('{').append('\n').append(" ".repeat(indent));
                }
                case '[' -> {
                    if (arrayMode) {
                        indent += 2;
                        out.append('\n').append(" ".repeat(indent));
                    }
                    arrayMode = true;
                    out.append('[');
                }
                case ']' -> {
                    if (!arrayMode && out.charAt(out.length() - 1) != '}') {
                        indent -= 2;
                        out.append('\n').append(" ".repeat(indent));
                    }
                    arrayMode = false;
                    out.append(']');
                }
                case '}' -> {
                    indent -= 2;
                    arrayMode = false;
                    out.append('\n').append(" ".repeat(indent)).append('}');
                }
                case ',' -> {
                    if (arrayMode) {
                        out.append(',');
                    } else {
                        out.append(',').append('\n').append(" ".repeat(indent - 1));
                    }
                }
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
