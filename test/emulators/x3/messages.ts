/**
 * Messages in the session language (callContext `codeLang`), as X3 writes them: the documented personality
 * translates the emulator's English phrases so a client that reads outcomes from English (or French) text fails
 * here as it would on a Portuguese or German X3. The texts are illustrative, not copied from X3's message
 * tables (no public source lists them); only the fact that the language changes is the point.
 */

import type { X3Msg } from './state';

export const MESSAGE_LANGUAGES = ['ENG', 'FRA', 'POR', 'GER', 'SPA', 'ITA'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

type Translations = Record<Exclude<MessageLanguage, 'ENG'>, string>;

/** English phrase → the same phrase in the other session languages. Longest phrases first where they overlap. */
const PHRASES: Array<[string, Translations]> = [
	[
		'Record locked by another user, try again later',
		{
			FRA: 'Fiche verrouillée par un autre utilisateur, réessayer plus tard',
			POR: 'Registo bloqueado por outro utilizador, tente mais tarde',
			GER: 'Datensatz von einem anderen Benutzer gesperrt, später erneut versuchen',
			SPA: 'Registro bloqueado por otro usuario, inténtelo más tarde',
			ITA: 'Scheda bloccata da un altro utente, riprovare più tardi',
		},
	],
	[
		'Record does not exist',
		{
			FRA: 'Fiche inexistante',
			POR: 'Registo inexistente',
			GER: 'Datensatz nicht vorhanden',
			SPA: 'Registro inexistente',
			ITA: 'Scheda inesistente',
		},
	],
	[
		'Record already exists',
		{
			FRA: 'Fiche déjà existante',
			POR: 'Registo já existente',
			GER: 'Datensatz bereits vorhanden',
			SPA: 'Registro ya existente',
			ITA: 'Scheda già esistente',
		},
	],
	[
		'Inactive record',
		{
			FRA: 'Fiche inactive',
			POR: 'Registo inativo',
			GER: 'Datensatz inaktiv',
			SPA: 'Registro inactivo',
			ITA: 'Scheda non attiva',
		},
	],
	[
		'Mandatory field',
		{
			FRA: 'Zone obligatoire',
			POR: 'Campo obrigatório',
			GER: 'Pflichtfeld',
			SPA: 'Campo obligatorio',
			ITA: 'Campo obbligatorio',
		},
	],
	[
		'Key value missing',
		{
			FRA: 'Valeur de clé absente',
			POR: 'Valor de chave em falta',
			GER: 'Schlüsselwert fehlt',
			SPA: 'Falta el valor de la clave',
			ITA: 'Valore della chiave mancante',
		},
	],
	[
		'Field not found in block',
		{
			FRA: 'Champ inexistant dans le bloc',
			POR: 'Campo inexistente no bloco',
			GER: 'Feld nicht vorhanden im Block',
			SPA: 'Campo inexistente en el bloque',
			ITA: 'Campo inesistente nel blocco',
		},
	],
	[
		'Block not found in publication',
		{
			FRA: 'Bloc inexistant dans la publication',
			POR: 'Bloco inexistente na publicação',
			GER: 'Block nicht vorhanden in Veröffentlichung',
			SPA: 'Bloque inexistente en la publicación',
			ITA: 'Blocco inesistente nella pubblicazione',
		},
	],
	[
		'Value too long',
		{
			FRA: 'Valeur trop longue',
			POR: 'Valor demasiado longo',
			GER: 'Wert zu lang',
			SPA: 'Valor demasiado largo',
			ITA: 'Valore troppo lungo',
		},
	],
	[
		'Value truncated to',
		{
			FRA: 'Valeur tronquée à',
			POR: 'Valor truncado para',
			GER: 'Wert gekürzt auf',
			SPA: 'Valor truncado a',
			ITA: 'Valore troncato a',
		},
	],
	[
		'Unbalanced entry',
		{
			FRA: 'Pièce déséquilibrée',
			POR: 'Documento desequilibrado',
			GER: 'Beleg nicht ausgeglichen',
			SPA: 'Asiento descuadrado',
			ITA: 'Registrazione non quadrata',
		},
	],
	[
		'Not a key field of',
		{
			FRA: "N'est pas un champ clé de",
			POR: 'Não é campo chave de',
			GER: 'Kein Schlüsselfeld von',
			SPA: 'No es un campo clave de',
			ITA: 'Non è un campo chiave di',
		},
	],
	[
		'Journal entry',
		{ FRA: 'Pièce', POR: 'Lançamento', GER: 'Buchung', SPA: 'Asiento', ITA: 'Registrazione' },
	],
	[
		'Supplier',
		{ FRA: 'Fournisseur', POR: 'Fornecedor', GER: 'Lieferant', SPA: 'Proveedor', ITA: 'Fornitore' },
	],
	['Account', { FRA: 'Compte', POR: 'Conta', GER: 'Konto', SPA: 'Cuenta', ITA: 'Conto' }],
	[
		'characters',
		{ FRA: 'caractères', POR: 'caracteres', GER: 'Zeichen', SPA: 'caracteres', ITA: 'caratteri' },
	],
];

/** The language a codeLang asks for; unknown or empty codes get English (the folder's default [I]). */
export function messageLanguage(codeLang: string): MessageLanguage {
	const code = codeLang.trim().toUpperCase();
	return (MESSAGE_LANGUAGES as readonly string[]).includes(code)
		? (code as MessageLanguage)
		: 'ENG';
}

export function translateText(text: string, language: MessageLanguage): string {
	if (language === 'ENG') return text;
	let out = text;
	for (const [english, translations] of PHRASES)
		out = out.split(english).join(translations[language]);
	return out;
}

export function translateMessages(messages: X3Msg[], codeLang: string): X3Msg[] {
	const language = messageLanguage(codeLang);
	return messages.map((message) => ({
		...message,
		message: translateText(message.message, language),
	}));
}
