import { type MailMessage } from './mail-message';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Every interpolated value, links included, goes through this (identity-platform §2.6). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family: Arial, sans-serif; color: #1f2937; max-width: 560px; margin: auto;">
<h1 style="color: #1d4ed8; font-size: 20px;">eMecano</h1>${body}
<p style="color: #6b7280; font-size: 12px;">Si vous n'êtes pas à l'origine de cette demande, ignorez cet e-mail.</p>
</body></html>`;
}

/** HEAD's verification e-mail: the 6-digit code shown prominently, the link as a fallback (24 h). */
export function verificationEmail(to: string, code: string, link: string): MailMessage {
  const subject = 'Votre code de verification eMecano';
  const html = layout(
    subject,
    `<p>Bienvenue sur eMecano ! Voici votre code de vérification :</p>
<p style="font-size: 32px; font-weight: bold; letter-spacing: 8px;">${escapeHtml(code)}</p>
<p>Vous pouvez aussi vérifier votre adresse en cliquant sur ce lien :
<a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>
<p>Ce code et ce lien sont valables 24 heures.</p>`,
  );
  const text = `Votre code de vérification eMecano : ${code}\nOu ouvrez ce lien : ${link}\nValable 24 heures.`;
  return { to, subject, html, text };
}

export function passwordResetEmail(to: string, link: string): MailMessage {
  const subject = 'Reinitialisation de votre mot de passe - eMecano';
  const html = layout(
    subject,
    `<p>Vous avez demandé à réinitialiser votre mot de passe.</p>
<p><a href="${escapeHtml(link)}">Choisir un nouveau mot de passe</a></p>
<p>Ce lien est valable 1 heure.</p>`,
  );
  const text = `Réinitialisez votre mot de passe eMecano avec ce lien (valable 1 heure) : ${link}`;
  return { to, subject, html, text };
}
