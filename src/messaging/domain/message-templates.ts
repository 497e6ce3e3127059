/**
 * messaging-reports §3.1.3: the quick replies of each side, as data. A template has no id: its exact
 * string is its identity (§3.1.2), so these strings must never be reworded, only added to.
 */
export interface TemplateCategory {
  readonly category: string;
  readonly messages: readonly string[];
}

const LATE = [
  'Je serai en retard de 10 minutes',
  'Je serai en retard de 15 minutes',
  'Je serai en retard de 30 minutes',
];

const BUYER_TEMPLATES: readonly TemplateCategory[] = [
  { category: 'Retard', messages: LATE },
  {
    category: 'Localisation',
    messages: ["Je ne trouve pas l'adresse", 'Je suis sur place', 'Je suis en route'],
  },
  {
    category: 'Véhicule',
    messages: [
      'Le véhicule est prêt',
      "Le véhicule n'est pas disponible pour le moment",
      "J'ai une question sur l'inspection",
    ],
  },
  {
    category: 'Autre',
    messages: ['Je souhaite reporter le rendez-vous', 'Je confirme ma présence', 'Merci beaucoup !'],
  },
];

const MECHANIC_TEMPLATES: readonly TemplateCategory[] = [
  { category: 'Retard', messages: LATE },
  {
    category: 'Localisation',
    messages: ["Je ne trouve pas l'adresse", 'Je suis en route vers vous', 'Je suis arrivé'],
  },
  {
    category: 'Véhicule',
    messages: [
      'Merci de préparer le véhicule SVP',
      "Avez-vous le carnet d'entretien ?",
      'Quel est le kilométrage actuel ?',
    ],
  },
  {
    category: 'Autre',
    messages: [
      'Je souhaite reporter le rendez-vous',
      "L'inspection est terminée",
      'Je vous envoie le rapport',
    ],
  },
];

/** `?role=buyer` or `?role=mechanic` picks one side; anything else gets both, buyer first. */
export function templatesFor(role: string | undefined): readonly TemplateCategory[] {
  if (role === 'buyer') return BUYER_TEMPLATES;
  if (role === 'mechanic') return MECHANIC_TEMPLATES;
  return [...BUYER_TEMPLATES, ...MECHANIC_TEMPLATES];
}

/** Either side may send any template: the sender's role is not checked (§3.1.2, §9-2). */
const ALL_TEMPLATES: ReadonlySet<string> = new Set(
  [...BUYER_TEMPLATES, ...MECHANIC_TEMPLATES].flatMap(({ messages }) => messages),
);

/** An exact, case- and accent-sensitive comparison; the catalogue is NFC. */
export function isTemplate(content: string): boolean {
  return ALL_TEMPLATES.has(content);
}
