import type { ReactNode } from 'react'

/** The id and error wiring of a control whose message, if any, sits below it. */
function described(id: string, error: string | undefined) {
  return {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
  }
}

/** A filter's control under its label. */
export function Labelled(props: {
  id: string
  label: string
  error?: string | undefined
  children: ReactNode
}) {
  return (
    <div className="table-view__field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.error && (
        <p id={`${props.id}-error`} className="table-view__error">
          {props.error}
        </p>
      )}
    </div>
  )
}

/** A labelled select over [value, label] options; `all` adds a first option with the value ''. */
export function Select(props: {
  id: string
  label: string
  value: string
  options: readonly (readonly [value: string, label: string])[]
  all?: string
  error?: string
  onChange: (value: string) => void
}) {
  return (
    <Labelled id={props.id} label={props.label} error={props.error}>
      <select
        {...described(props.id, props.error)}
        value={props.value}
        onChange={(event) => props.onChange(event.currentTarget.value)}
      >
        {props.all !== undefined && <option value="">{props.all}</option>}
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </Labelled>
  )
}
