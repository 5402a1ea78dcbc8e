// Markdown (notes, activity bodies) to HTML that is safe to insert: parsed by marked, then always cleaned by DOMPurify.
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

// Notes are Markdown, not HTML: raw HTML in them shows as the text it is. A remote image would tell its server when
// and where a note was read, so Markdown images become their alt text.
const markdown = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    image({ text }) {
      const label = text.trim() ? `[image: ${escapeHtml(text.trim())}]` : '[image]';
      return `<span class="md-image">${label}</span>`;
    },
  },
});

const purifier = DOMPurify(window);

// Links leave the app: a new browsing context (the desktop shell hands http(s) to the system browser), with no
// opener and no referrer, so the page that opens cannot reach back into Hearth or learn where it came from.
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

const SANITIZE: Parameters<typeof purifier.sanitize>[1] = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['img', 'picture', 'source', 'video', 'audio', 'iframe', 'object', 'embed', 'form', 'style', 'svg'],
  FORBID_ATTR: ['style', 'srcset', 'background', 'poster'],
  ADD_ATTR: ['target'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|tel:|#)/i,
};

/** Sanitized HTML for a Markdown text; plain text in it stays text. */
export function renderMarkdown(source: string): string {
  const html = markdown.parse(source, { async: false });
  return String(purifier.sanitize(html, SANITIZE));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
