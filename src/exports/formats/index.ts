import { CEF_CONTENT_TYPE, CEF_EXTENSION, cefLine } from './cef.js';
import { ECS_CONTENT_TYPE, ECS_EXTENSION, ecsLine } from './ecs.js';
import { CSV_CONTENT_TYPE, CSV_EXTENSION, CSV_HEADER, csvRecord } from './csv.js';
import { parseStoredEvent, type ExportedEvent } from './exported-event.js';
import { NDJSON_CONTENT_TYPE, NDJSON_EXTENSION, ndjsonLine } from './ndjson.js';
import { actionClassifier, OCSF_CONTENT_TYPE, OCSF_EXTENSION, ocsfLine, type OcsfMapping } from './ocsf.js';

/**
 * Export-format writers: pure functions from stored payloads (canonical JSON strings) to
 * text, with no I/O, so the streaming/export code decides where the bytes go.
 */
export type ExportFormat = 'ndjson' | 'csv' | 'ocsf' | 'ecs' | 'cef';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['ndjson', 'csv', 'ocsf', 'ecs', 'cef'];

export interface WriterOptions {
  /** Veritrail version written into CEF/OCSF product fields. */
  productVersion: string;
  /** Tenant overrides of the OCSF class: exact action or `prefix.*` → class uid. */
  ocsfMapping?: OcsfMapping;
  /** OCSF `service.name` of sign-in events: the tenant's application. */
  serviceName?: string;
  /** The tenant's display message of an event (CEF msg, OCSF and ECS message); absent without templates. */
  message?: (ev: ExportedEvent) => string;
}

export interface ExportWriter {
  contentType: string;
  extension: string;
  /** Text before the first event (the CSV header row), '' otherwise. */
  header(): string;
  /** One output record, line end included, for one stored payload. */
  line(payload: string): string;
  /** Text after the last event ('' for every current format). */
  footer(): string;
}

const empty = () => '';

export function writerFor(format: ExportFormat, opts: WriterOptions): ExportWriter {
  const message = opts.message;
  const displayed = (ev: ExportedEvent): ExportedEvent => (message && !ev.display ? { ...ev, display: { message: message(ev) } } : ev);
  switch (format) {
    case 'ndjson':
      return { contentType: NDJSON_CONTENT_TYPE, extension: NDJSON_EXTENSION, header: empty, line: ndjsonLine, footer: empty };
    case 'csv':
      return {
        contentType: CSV_CONTENT_TYPE,
        extension: CSV_EXTENSION,
        header: () => CSV_HEADER,
        line: (payload) => csvRecord(parseStoredEvent(payload)),
        footer: empty,
      };
    case 'cef': {
      const version = opts.productVersion;
      return {
        contentType: CEF_CONTENT_TYPE,
        extension: CEF_EXTENSION,
        header: empty,
        line: (payload) => cefLine(displayed(parseStoredEvent(payload)), version),
        footer: empty,
      };
    }
    case 'ocsf': {
      const ocsfOpts = { productVersion: opts.productVersion, mapping: opts.ocsfMapping, serviceName: opts.serviceName, classify: actionClassifier(opts.ocsfMapping) };
      return {
        contentType: OCSF_CONTENT_TYPE,
        extension: OCSF_EXTENSION,
        header: empty,
        line: (payload) => ocsfLine(displayed(parseStoredEvent(payload)), ocsfOpts),
        footer: empty,
      };
    }
    case 'ecs': {
      const ecsOpts = { productVersion: opts.productVersion, classify: actionClassifier(opts.ocsfMapping) };
      return { contentType: ECS_CONTENT_TYPE, extension: ECS_EXTENSION, header: empty, line: (payload) => ecsLine(displayed(parseStoredEvent(payload)), ecsOpts), footer: empty };
    }
    default:
      throw new Error(`unknown export format: ${String(format satisfies never)}`);
  }
}

export { decodeCsvCell } from './csv.js';
export { escapeControls, unescapeControls } from './text-escape.js';
