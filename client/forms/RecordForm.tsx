import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { FieldInfo, RecordDeclaration } from '../../model/index.ts'
import { groupLabel } from '../i18n/declared-words.ts'
import { DraftField, type Outcome } from './DraftField.tsx'
import { explain, refusalOf } from './explain.ts'
import { fromText, inputOf, isShown, toText } from './field-input.ts'

type Values = Readonly<Record<string, unknown>>

interface CommonProps {
  /** The kind whose declared fields the form shows, in declaration order. */
  readonly kind: RecordDeclaration
  /** Only these fields, in this order (a quick add form); all a form can edit when absent. */
  readonly only?: readonly string[]
  /** Extra content after a field, by its key (the actor's rich description after its summary). */
  readonly after?: Readonly<Partial<Record<string, ReactNode>>>
  /**
   * The records each reference field may name, as [id, label], by field key. A reference field
   * with none to choose from is left out (no theme yet: nothing to pick).
   */
  readonly records?: Readonly<Partial<Record<string, readonly (readonly [value: string, label: string])[]>>>
}

/** Edits a record: each field is saved on its own, as one validated update command. */
export interface EditProps extends CommonProps {
  readonly mode: 'edit'
  readonly record: Values
  /** Runs the kind's update command with a patch; throws the model's WorkspaceError if refused. */
  readonly save: (patch: Record<string, unknown>) => unknown
  /** A refusal that is not about one field, or null once a save goes through. */
  readonly onRefused: (message: string | null) => void
}

/** Adds a record: the fields are a draft until submitted, then one create command. */
export interface AddProps extends CommonProps {
  readonly mode: 'add'
  /** Starting values (the kind of a new actor). */
  readonly initial?: Values
  /** Runs the kind's create command; throws the model's WorkspaceError if refused. */
  readonly create: (input: Record<string, unknown>) => unknown
  readonly submitLabel: string
  /** The submit button's class, to match the panel it sits in. */
  readonly submitClassName?: string
  /** The title's heading level: 2 in a page's section, 3 inside a panel's. */
  readonly headingLevel?: 2 | 3
  /** Called after a record was added, with its input (to say "Added ..."). */
  readonly onAdded?: (input: Record<string, unknown>) => void
  readonly title?: string
}

/**
 * One form per kind, for adding and editing alike: fields, labels, help, controls and options
 * all come from the kind's declaration, so a field added to a record kind appears here without
 * other edits. Fields a form cannot edit (ids, fixed ends) and fields whose `when` does not
 * hold for the record are left out; fields of one `group` sit in one fieldset.
 */
export function RecordForm(props: EditProps | AddProps) {
  return props.mode === 'edit' ? <EditForm {...props} /> : <AddForm {...props} />
}

/** The fields a form shows for `values`, grouped: [group heading or null, fields]. */
function sections(props: CommonProps, values: Values): [string | null, FieldInfo[]][] {
  const fixed = new Set(['id', ...(props.kind.fixed ?? []), ...(props.kind.ordered ? ['order'] : [])])
  const out: [string | null, FieldInfo[]][] = []
  // `only` also orders: a quick add form asks for the name before the kind.
  const fields = props.only
    ? props.only.flatMap((key) => props.kind.fields.filter((field) => field.key === key))
    : props.kind.fields
  for (const field of fields) {
    if (fixed.has(field.key) || field.meta.live || !isShown(field, values)) continue
    if (inputOf(field) === 'record' && (props.records?.[field.key]?.length ?? 0) === 0) continue
    const group = field.meta.group ?? null
    const last = out.at(-1)
    if (last && last[0] === group) last[1].push(field)
    else out.push([group, [field]])
  }
  return out
}

function Sections(props: CommonProps & { values: Values; render: (field: FieldInfo) => ReactNode }) {
  // Group headings are declared words: drawn again in a newly chosen language.
  useTranslation()
  return sections(props, props.values).map(([group, fields]) => {
    const rendered = fields.map((field) => (
      <FieldSlot key={field.key} after={props.after?.[field.key]}>
        {props.render(field)}
      </FieldSlot>
    ))
    return group ? (
      <fieldset key={group} className="record-group">
        <legend>{groupLabel(fields[0] as FieldInfo)}</legend>
        {rendered}
      </fieldset>
    ) : (
      rendered
    )
  })
}

function FieldSlot({ children, after }: { children: ReactNode; after: ReactNode }) {
  return (
    <>
      {children}
      {after}
    </>
  )
}

/** Whether a plain value is the one the record holds already (saving it would only add history). */
const same = (a: unknown, b: unknown) =>
  a === b || (a === null && b === undefined) || JSON.stringify(a) === JSON.stringify(b)

function EditForm(props: EditProps) {
  const commit =
    (field: FieldInfo) =>
    (text: string): Outcome => {
      const parsed = fromText(field, text)
      if (!parsed.ok) return { ok: false, message: parsed.message }
      if (same(parsed.value, props.record[field.key])) return { ok: true }
      try {
        props.save({ [field.key]: parsed.value })
        props.onRefused(null)
        return { ok: true }
      } catch (error) {
        const refusal = refusalOf(error)
        const own = refusal.fields[field.key]
        if (own) return { ok: false, message: own }
        props.onRefused(refusal.message ?? explain(error))
        return { ok: false }
      }
    }
  return (
    <Sections
      {...props}
      values={props.record}
      render={(field) => (
        <DraftField
          field={field}
          value={toText(field, props.record[field.key])}
          commit={commit(field)}
          options={props.records?.[field.key]}
        />
      )}
    />
  )
}

function AddForm(props: AddProps) {
  const id = useId()
  const initialTexts = () =>
    Object.fromEntries(
      props.kind.fields.map((field) => [field.key, toText(field, props.initial?.[field.key])]),
    )
  const [texts, setTexts] = useState<Record<string, string>>(initialTexts)
  const [errors, setErrors] = useState<{ fields: Record<string, string>; message: string | null }>({
    fields: {},
    message: null,
  })
  // After a submit, back to the first field to fix, or to the first field for the next record.
  const form = useRef<HTMLFormElement>(null)
  const [submitted, setSubmitted] = useState(0)
  useEffect(() => {
    if (submitted === 0) return
    const target =
      form.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form.current?.querySelector<HTMLElement>('input, select, textarea')
    target?.focus()
  }, [submitted])
  const shown = sections(props, { ...props.initial, ...texts })
    .flatMap(([, fields]) => fields)
    .map((field) => field.key)

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    setSubmitted((count) => count + 1)
    const values: Record<string, unknown> = {}
    const fields: Record<string, string> = {}
    for (const field of props.kind.fields) {
      if (!shown.includes(field.key)) continue
      const parsed = fromText(field, texts[field.key] ?? '')
      if (!parsed.ok) fields[field.key] = parsed.message
      else if (parsed.value !== null) values[field.key] = parsed.value
    }
    if (Object.keys(fields).length > 0) return setErrors({ fields, message: null })
    try {
      props.create(values)
    } catch (error) {
      const refusal = refusalOf(error)
      const message = refusal.message ?? (Object.keys(refusal.fields).length === 0 ? explain(error) : null)
      return setErrors({ fields: { ...refusal.fields }, message })
    }
    setErrors({ fields: {}, message: null })
    setTexts(initialTexts())
    props.onAdded?.(values)
  }

  return (
    <form
      ref={form}
      className="record-form"
      noValidate
      aria-labelledby={props.title ? `${id}-title` : undefined}
      onSubmit={submit}
    >
      {props.title && <Heading level={props.headingLevel ?? 2} id={`${id}-title`} text={props.title} />}
      <div className="record-form__fields">
        <Sections
          {...props}
          values={{ ...props.initial, ...texts }}
          render={(field) => (
            <DraftField
              field={field}
              value={texts[field.key] ?? ''}
              error={errors.fields[field.key]}
              options={props.records?.[field.key]}
              immediate
              commit={(text) => {
                setTexts((current) => ({ ...current, [field.key]: text }))
                return { ok: true }
              }}
            />
          )}
        />
        <button type="submit" className={props.submitClassName}>
          {props.submitLabel}
        </button>
      </div>
      {errors.message && (
        <p role="alert" className="record-field__error">
          {errors.message}
        </p>
      )}
    </form>
  )
}

function Heading(props: { level: 2 | 3; id: string; text: string }) {
  const Tag = props.level === 2 ? 'h2' : 'h3'
  return (
    <Tag id={props.id} className="record-form__title">
      {props.text}
    </Tag>
  )
}
