/**
 * Whether a document, about to be stored as a snapshot, is exactly what loading that snapshot
 * would leave (StoredDoc.clean): no plain-string text field for the load to convert
 * (docs/sync.md#text-fields) and no content waiting for what it depends on (a load drops it).
 * The store records the answer beside the snapshot, and a board loaded from a clean snapshot
 * answers its first joiners with the stored bytes before it applies them
 * (docs/sync.md#cold-boards). O(items with text), no encoding: cheap beside the
 * encoding of the snapshot itself.
 */
import * as Y from 'yjs';
import { TEXT_FIELDS } from '../../shared/board/text';
import { isId } from '../../shared/ids';

export function isClean(doc: Y.Doc): boolean {
  if (doc.store.pendingStructs || doc.store.pendingDs) return false;
  for (const [root, fields] of Object.entries(TEXT_FIELDS)) {
    // A root the document never had holds nothing; asking for it would not change the document.
    if (!doc.share.has(root)) continue;
    let items: Y.Map<unknown>;
    try {
      items = doc.getMap(root);
    } catch {
      return false; // a root of another kind: whatever a load makes of it, not known to be clean
    }
    for (const [id, item] of items.entries()) {
      // The same items convertTexts looks at: anything else a load leaves as it is.
      if (!isId(id) || !(item instanceof Y.Map)) continue;
      for (const field of fields) if (typeof item.get(field) === 'string') return false;
    }
  }
  return true;
}
