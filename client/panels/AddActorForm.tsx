import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ActorCreate, actorKind } from '../../model/index.ts'
import { RecordForm } from '../forms/RecordForm.tsx'
import { useWorkspaceUi } from '../workspace-context.tsx'

/** The quick add form: an actor's name and kind, from the actor's declaration. */
export function AddActorForm() {
  const { t } = useTranslation()
  const { connection } = useWorkspaceUi()
  const [added, setAdded] = useState('')
  return (
    <section className="table-view__add">
      <RecordForm
        mode="add"
        kind={actorKind}
        only={['name', 'kind']}
        initial={{ kind: 'organisation' }}
        title={t('table.addActor')}
        submitLabel={t('table.add')}
        create={(input) => connection.workspace.addActor(input as ActorCreate)}
        onAdded={(input) => setAdded(t('table.added', { name: String(input.name) }))}
      />
      <p role="status" className="table-view__status">
        {added}
      </p>
    </section>
  )
}
