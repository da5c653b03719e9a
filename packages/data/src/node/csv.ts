/** One parsed CSV record and the 1-based line it starts on (for error messages). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * RFC 4180 CSV: comma separated, fields optionally in double quotes ("" is a quote inside one),
 * quoted fields may span lines; CRLF or LF line ends; blank lines are skipped.
 */
export function parseCsv(text: string, where: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let fieldStarted = false;
  const endRecord = () => {
    if (fieldStarted || fields.length > 0 || field !== '') {
      fields.push(field);
      if (!(fields.length === 1 && fields[0].trim() === '')) records.push({ line: recordLine, fields });
    }
    fields = [];
    field = '';
    fieldStarted = false;
  };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      fieldStarted = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      if (!fieldStarted && field === '') recordLine = line;
      field += ch;
    }
  }
  if (quoted) throw new Error(`${where} line ${recordLine}: unterminated quoted field`);
  endRecord();
  return records;
}
