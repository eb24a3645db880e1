import { useEffect, useRef, useState } from 'preact/hooks';
import { KeyKind, keyStore } from '../api/pipeline-client';

const NAMES: Record<KeyKind, string> = {
  read: 'Read key (READ_API_KEY)',
  ingest: 'Ingest key (INGEST_API_KEY)',
};

interface KeyPromptProps {
  kind: KeyKind;
  /** The pipeline's 401 message: missing, or invalid. */
  reason: string;
  onSaved: () => void;
  onCancel: () => void;
}

/** Asks for the key a 401 named; the key goes to sessionStorage only, and the page retries with it. */
export function KeyPrompt({ kind, reason, onSaved, onCancel }: KeyPromptProps) {
  const [key, setKey] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), [kind]);
  return (
    <form
      class="key-prompt"
      aria-labelledby="key-heading"
      onSubmit={(event) => {
        event.preventDefault();
        if (!key.trim()) return;
        keyStore.set(kind, key.trim());
        onSaved();
      }}
    >
      <h2 id="key-heading">This pipeline needs a key</h2>
      <p>
        {reason}. The key is kept for this browser tab only (sessionStorage) and sent as{' '}
        <code>Authorization: Bearer</code>.
      </p>
      <label for="api-key">{NAMES[kind]}</label>
      <input
        id="api-key"
        ref={input}
        type="password"
        autocomplete="off"
        value={key}
        onInput={(event) => setKey((event.target as HTMLInputElement).value)}
      />
      <div>
        <button type="submit" class="primary">
          Use this key
        </button>{' '}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
